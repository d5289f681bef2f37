// Every listed tool checked against each model provider's documented rules (see
// ./providers/rules.ts for the rules and their sources), and the strict-mode conversion
// checked end to end: a strict-mode call with every optional field null still works.
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { DYNAMIC_TOOL_NAMES, toOpenAiStrictSchema, type JsonSchema } from "../src/index.js";
import { connect, fakePolar, json, ORG_TOKEN, textOf } from "./helpers.js";
import {
  anthropicIssues,
  geminiIssues,
  openAiIssues,
  openAiStrictIssues,
  type ToolDeclaration,
} from "./providers/rules.js";

async function listing(options: Parameters<typeof connect>[0]): Promise<ToolDeclaration[]> {
  const session = await connect(options);
  try {
    return (await session.client.listTools()).tools as ToolDeclaration[];
  } finally {
    await session.close();
  }
}

const all = await listing({ accessToken: ORG_TOKEN, all: true });
const meta = await listing({ accessToken: ORG_TOKEN, mode: "dynamic" });
const declarations = [...all, ...meta];

function nullable(schema: JsonSchema): boolean {
  if (Array.isArray(schema.type)) return schema.type.includes("null");
  if (Array.isArray(schema.anyOf))
    return (schema.anyOf as JsonSchema[]).some((v) => v.type === "null");
  return false;
}

describe("tool schemas every provider accepts as sent", () => {
  it("lists all 186 operations and the 3 meta-tools", () => {
    expect(all).toHaveLength(186);
    expect(meta.map((t) => t.name)).toEqual(Object.values(DYNAMIC_TOOL_NAMES));
  });

  it("OpenAI function calling: names, object roots, items on every array", () => {
    const failing = declarations
      .map((t) => [t.name, openAiIssues(t)] as const)
      .filter(([, i]) => i.length > 0);
    expect(failing).toEqual([]);
  });

  it("Anthropic tool use: names, object roots without top-level unions, valid JSON Schema 2020-12", () => {
    const ajv = new Ajv2020({ strict: true });
    for (const tool of declarations) {
      expect(anthropicIssues(tool), tool.name).toEqual([]);
      expect(() => ajv.compile(tool.inputSchema), tool.name).not.toThrow();
    }
  });

  it("Gemini function declarations: a type on every node, only Schema fields, no empty objects", () => {
    const failing = declarations
      .map((t) => [t.name, geminiIssues(t)] as const)
      .filter(([, i]) => i.length > 0);
    expect(failing).toEqual([]);
  });

  it("OpenAI strict mode: every schema converts, and optional fields stay optional (nullable)", () => {
    for (const tool of declarations) {
      const strict = toOpenAiStrictSchema(tool.inputSchema);
      expect(openAiStrictIssues(strict), tool.name).toEqual([]);
      const required = new Set((tool.inputSchema.required ?? []) as string[]);
      const properties = (strict.properties ?? {}) as Record<string, JsonSchema>;
      for (const [key, property] of Object.entries(properties)) {
        expect(nullable(property), `${tool.name}.${key}`).toBe(!required.has(key));
      }
    }
  });

  it("the default listing stays within OpenAI's and Copilot's 128 tools", async () => {
    expect((await listing({ accessToken: ORG_TOKEN })).length).toBeLessThanOrEqual(128);
  });
});

describe("the rule checks fail on what the providers refuse", () => {
  const tool = (inputSchema: JsonSchema): ToolDeclaration => ({ name: "t", inputSchema });
  it("Gemini: enum or const without type, an object without properties, $ref", () => {
    expect(geminiIssues(tool({ type: "object", properties: { s: { enum: ["a"] } } }))).not.toEqual(
      [],
    );
    expect(geminiIssues(tool({ type: "object", properties: { s: { const: "a" } } }))).not.toEqual(
      [],
    );
    expect(
      geminiIssues(tool({ type: "object", properties: { m: { type: "object" } } })),
    ).not.toEqual([]);
    expect(
      geminiIssues(tool({ type: "object", properties: { r: { $ref: "#/$defs/x" } } })),
    ).not.toEqual([]);
  });
  it("OpenAI: an array without items; strict: an open object, an optional field", () => {
    expect(
      openAiIssues(tool({ type: "object", properties: { a: { type: "array" } } })),
    ).not.toEqual([]);
    expect(
      openAiStrictIssues({ type: "object", properties: { a: { type: "string" } } }),
    ).not.toEqual([]);
  });
  it("Anthropic: a union at the top level, a bad name", () => {
    expect(anthropicIssues(tool({ type: "object", anyOf: [] }))).not.toEqual([]);
    expect(
      anthropicIssues({ name: "customers.list", inputSchema: { type: "object" } }),
    ).not.toEqual([]);
  });
});

describe("calls as strict-mode and Gemini clients make them", () => {
  it("treats null as not given for optional filters (strict mode), sending no such filter", async () => {
    const polar = fakePolar((r) =>
      r.url.pathname === "/v1/customers/"
        ? json(200, { items: [], pagination: { total_count: 0, max_page: 1 } })
        : undefined,
    );
    const session = await connect({ accessToken: ORG_TOKEN, fetch: polar.fetch });
    const listed = (await session.client.listTools()).tools.find(
      (t) => t.name === "customers_list",
    );
    const fields = Object.keys(listed?.inputSchema.properties ?? {});
    expect(fields.length).toBeGreaterThan(3);
    const args = Object.fromEntries(fields.map((f) => [f, null]));
    const result = await session.call("customers_list", { ...args, email: "a@example.com" });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect([...(polar.requests[0]?.url.searchParams.keys() ?? [])]).toEqual(["email"]);
    await session.close();
  });

  it("decodes a JSON string where the listing asks for one (metadata), and still takes an object", async () => {
    const polar = fakePolar((r) =>
      r.url.pathname === "/v1/customers/" ? json(201, { id: "c1" }) : undefined,
    );
    const session = await connect({ accessToken: ORG_TOKEN, fetch: polar.fetch });
    const listed = (await session.client.listTools()).tools.find(
      (t) => t.name === "customers_create",
    );
    expect(listed?.inputSchema.properties?.metadata).toMatchObject({
      type: "string",
      description: "JSON object",
    });
    const asString = await session.call("customers_create", {
      email: "a@example.com",
      metadata: '{"plan":"pro"}',
    });
    expect(asString.isError, textOf(asString)).toBeFalsy();
    const asObject = await session.call("customers_create", {
      email: "b@example.com",
      metadata: { plan: "team" },
    });
    expect(asObject.isError, textOf(asObject)).toBeFalsy();
    expect(polar.requests.map((r) => (r.body as { metadata: unknown }).metadata)).toEqual([
      { plan: "pro" },
      { plan: "team" },
    ]);
    const broken = await session.call("customers_create", {
      email: "c@example.com",
      metadata: "{plan",
    });
    expect(broken.isError).toBe(true);
    expect(textOf(broken)).toContain("metadata");
    expect(polar.requests).toHaveLength(2);
    await session.close();
  });
});
