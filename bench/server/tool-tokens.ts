// What tools/list costs a model's context, per configuration of @polar-mcp/server, against
// a naive catalogue that inlines every schema of every operation (measured in the same run).
// Also measured in the run: the tools/list of @polar-sh/sdk@0.36.2's own MCP server (`mcp
// start`, installed apart in bench/server/legacy-sdk-mcp on first use), one operation per tool.
// Run: npx tsx bench/server/tool-tokens.ts [path/to/openapi.json]
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { encode } from "gpt-tokenizer";
import {
  createPolarMcpServer,
  loadOpenApiDocument,
  type PolarMcpServerOptions,
} from "@polar-mcp/server";
import { legacySdkToolsList } from "./legacy-sdk-mcp.js";
import { naiveCatalogue } from "./naive-catalogue.js";

// The argument, else POLAR_OPENAPI, the shipped or checkout copy, the cache, Polar's URL.
const spec = await loadOpenApiDocument(process.argv[2]);
const ORG_TOKEN = "polar_oat_bench";

async function toolsList(
  options: Omit<PolarMcpServerOptions, "spec">,
): Promise<{ json: string; tools: number }> {
  const server = createPolarMcpServer({ spec, ...options });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "bench", version: "1.0.0" });
  await server.connect(serverSide);
  await client.connect(clientSide);
  const result = await client.listTools();
  await client.close();
  await server.close();
  return { json: JSON.stringify({ tools: result.tools }), tools: result.tools.length };
}

interface Row {
  label: string;
  tools: number;
  operations: number;
  json: string;
}

const rows: Row[] = [];
const add = async (
  label: string,
  options: Omit<PolarMcpServerOptions, "spec">,
  operations?: number,
) => {
  const { json, tools } = await toolsList(options);
  rows.push({ label, tools, operations: operations ?? tools, json });
};
await add("static --all", { accessToken: ORG_TOKEN, all: true });
await add("default: toolsets + meta-tools, org token", { accessToken: ORG_TOKEN }, 138);
await add("old default: static, org token", { accessToken: ORG_TOKEN, mode: "static" });
await add("static --read-only, org token", {
  accessToken: ORG_TOKEN,
  readOnly: true,
  mode: "static",
});
await add("static --read-only --all", { accessToken: ORG_TOKEN, readOnly: true, all: true });
await add("dynamic, org token", { accessToken: ORG_TOKEN, mode: "dynamic" }, 138);
await add("dynamic --all", { accessToken: ORG_TOKEN, mode: "dynamic", all: true }, 186);
// Each of its tools wraps one SDK method, that is one operation.
const legacy = await legacySdkToolsList(ORG_TOKEN);
const LEGACY_LABEL = `@polar-sh/sdk@${legacy.version} mcp start`;
rows.push({
  label: LEGACY_LABEL,
  tools: legacy.tools.length,
  operations: legacy.tools.length,
  json: JSON.stringify({ tools: legacy.tools }),
});
const naive = naiveCatalogue(spec);
const naiveRow: Row = {
  label: "naive fully inlined (186)",
  tools: naive.length,
  operations: naive.length,
  json: JSON.stringify({ tools: naive }),
};
rows.push(naiveRow);

const naiveTokens = encode(naiveRow.json).length;
const table = rows.map((row) => {
  const tokens = encode(row.json).length;
  return {
    configuration: row.label,
    tools: row.tools,
    operations: row.operations,
    tokens,
    "bytes/4": Math.round(row.json.length / 4),
    "tokens/op": Number((tokens / row.operations).toFixed(1)),
    "vs naive": `${((tokens / naiveTokens) * 100).toFixed(1)}%`,
  };
});

console.log(
  `tools/list size (gpt-tokenizer ${"o200k_base"}; bytes/4 as a tokenizer-free estimate)`,
);
console.table(table);
const all = table[0]!;
const dynamic = table.find((r) => r.configuration.startsWith("dynamic, org"))!;
console.log(
  `goals: static --all ≤ 15,000 tokens and ≤ 80/op → ${all.tokens} (${all["tokens/op"]}/op) ${all.tokens <= 15_000 && all["tokens/op"] <= 80 ? "met" : "MISSED"}; dynamic ≤ 1,000 → ${dynamic.tokens} ${dynamic.tokens <= 1_000 ? "met" : "MISSED"}`,
);
const old = table.find((r) => r.configuration === LEGACY_LABEL)!;
const ours = (label: string) => table.find((r) => r.configuration === label)!;
const perOp = (label: string) =>
  `${label} ${ours(label)["tokens/op"]}/op (${(old["tokens/op"] / ours(label)["tokens/op"]).toFixed(1)}× fewer)`;
console.log(
  `${LEGACY_LABEL}: ${old.tools} tools for ${old.operations} operations, ${old.tokens} tokens (${old["bytes/4"]} bytes/4), ${old["tokens/op"]}/op; ours: ${perOp("static --all")}, ${perOp("old default: static, org token")}, ${perOp("dynamic --all")}`,
);
const newDefault = ours("default: toolsets + meta-tools, org token");
const oldDefault = ours("old default: static, org token");
console.log(
  `default listing, org token: new ${newDefault.tools} tools / ${newDefault.tokens} tokens (reaches all ${newDefault.operations} operations) vs old ${oldDefault.tools} tools / ${oldDefault.tokens} tokens: ${(oldDefault.tokens / newDefault.tokens).toFixed(1)}× fewer tokens, ${newDefault.tools <= 40 ? "within" : "OVER"} Cursor's 40 and OpenAI's 128`,
);
