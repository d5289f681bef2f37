// Both MCP eras on one endpoint, for `serve`: 2026-07-28 (stateless requests with their
// envelope, server/discover, its HTTP headers) from the official v2 client pinned to that
// revision and from raw requests, and 2025-11-25 from the official v1 client; over stdio too.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servePolarMcp, type ServedPolarMcp } from "../src/index.js";
import { fakePolar, json, ORG_TOKEN, SPEC_PATH } from "./helpers.js";

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
};

describe("both MCP eras on one Streamable HTTP endpoint", () => {
  let served: ServedPolarMcp;
  const polar = fakePolar((r) =>
    r.url.pathname === "/v1/customers/"
      ? json(200, { items: [], pagination: { total_count: 0, max_page: 1 } })
      : undefined,
  );
  beforeAll(async () => {
    served = await servePolarMcp({
      transport: "http",
      port: 0,
      spec: SPEC_PATH,
      accessToken: ORG_TOKEN,
      fetch: polar.fetch,
      env: {},
    });
  });
  afterAll(() => served.close());

  const post = (body: unknown, headers: Record<string, string>) =>
    fetch(served.url as string, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify(body),
    });

  it("answers server/discover without initialize, naming 2026-07-28", async () => {
    const response = await post(
      { jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: MODERN_META } },
      { "mcp-protocol-version": "2026-07-28", "mcp-method": "server/discover" },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: Record<string, unknown> };
    expect(body.result.supportedVersions).toContain("2026-07-28");
    expect(body.result.capabilities).toMatchObject({ tools: {}, prompts: {} });
    expect(body.result._meta).toMatchObject({
      "io.modelcontextprotocol/serverInfo": { name: "polar-mcp" },
    });
  });

  it("serves a stateless tools/call and refuses a request whose Mcp-Method header disagrees", async () => {
    const call = {
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "customers_list", arguments: {}, _meta: MODERN_META },
    };
    const ok = await post(call, {
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/call",
      "mcp-name": "customers_list",
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: { isError?: boolean } }).result.isError).toBeFalsy();
    const mismatch = await post(call, {
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/list",
    });
    expect(mismatch.status).toBe(400);
    const error = (await mismatch.json()) as { error: { message: string } };
    expect(error.error.message).toMatch(/headers and body disagree/);
  });

  it("serves the official v2 client pinned to 2026-07-28", async () => {
    const { stdout } = await run(process.execPath, [
      "--import",
      "tsx",
      fixture("modern-client.ts"),
      served.url as string,
    ]);
    const seen = JSON.parse(stdout) as {
      era: string;
      tools: number;
      isError: boolean;
      text: string;
      prompts: string[];
    };
    expect(seen.era).toBe("modern");
    expect(seen.tools).toBe(37);
    expect(seen.isError).toBe(true);
    expect(seen.text).toContain("id is required but missing");
    expect(seen.prompts).toContain("support_triage_lost_benefit");
  });

  it("serves the official v1 client (2025-11-25: initialize, then requests) on the same endpoint", async () => {
    const { stdout } = await run(process.execPath, [
      "--import",
      "tsx",
      fixture("http-client.ts"),
      served.url as string,
      "",
    ]);
    const seen = JSON.parse(stdout) as { tools: number; isError: boolean };
    expect(seen.tools).toBe(37);
    expect(seen.isError).toBe(false);
  });
});

describe("both MCP eras over stdio", () => {
  it("serves the v2 client pinned to 2026-07-28 over stdio", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", fixture("modern-client.ts"), "stdio"],
      {
        env: { ...process.env, POLAR_ACCESS_TOKEN: ORG_TOKEN, POLAR_OPENAPI: SPEC_PATH },
      },
    );
    const seen = JSON.parse(stdout) as { era: string; tools: number; isError: boolean };
    expect(seen.era).toBe("modern");
    expect(seen.tools).toBe(37);
    expect(seen.isError).toBe(true);
  });
});
