import { execFile } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servePolarMcp, type ServedPolarMcp } from "../src/index.js";
import { fakePolar, json, ORG_TOKEN, SPEC_PATH } from "./helpers.js";

const HTTP_TOKEN = "client-secret-for-this-endpoint";

function rawPost(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", headers: { "content-type": "application/json", ...headers } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
  });
}

describe("Streamable HTTP transport (real socket)", () => {
  const polar = fakePolar((r) =>
    r.url.pathname === "/v1/customers/"
      ? json(200, { items: [], pagination: { total_count: 0, max_page: 1 } })
      : undefined,
  );
  let served: ServedPolarMcp;

  beforeAll(async () => {
    served = await servePolarMcp({
      transport: "http",
      port: 0,
      spec: SPEC_PATH,
      fetch: polar.fetch,
      env: { POLAR_ACCESS_TOKEN: ORG_TOKEN, POLAR_MCP_HTTP_TOKEN: HTTP_TOKEN },
    });
  });
  afterAll(() => served.close());

  it("serves tools to the official client with the bearer token; Polar gets the server's own credential", async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const script = fileURLToPath(new URL("./fixtures/http-client.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [
      "--import",
      "tsx",
      script,
      served.url as string,
      HTTP_TOKEN,
    ]);
    const seen = JSON.parse(stdout) as { tools: number; isError: boolean; structured: unknown };
    expect(seen.tools).toBe(37); // the default toolset (34) and the three meta-tools
    expect(seen.isError).toBe(false);
    expect(seen.structured).toMatchObject({
      items: [],
      pagination: { total_count: 0, next_page: null },
    });
    const sent = polar.requests.at(-1);
    expect(sent?.url.search).toBe("?limit=5");
    expect(sent?.headers.authorization).toBe(`Bearer ${ORG_TOKEN}`);
  });

  it("refuses a missing or wrong bearer token with 401", async () => {
    const url = served.url as string;
    const accept = { accept: "application/json, text/event-stream" };
    expect(await rawPost(url, accept)).toBe(401);
    expect(await rawPost(url, { ...accept, authorization: "Bearer wrong" })).toBe(401);
    expect(await rawPost(url, { ...accept, authorization: `Bearer ${HTTP_TOKEN}` })).toBe(200);
  });

  it("refuses foreign Origin and Host headers with 403", async () => {
    const url = served.url as string;
    const ok = {
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${HTTP_TOKEN}`,
    };
    expect(await rawPost(url, { ...ok, origin: "https://evil.example" })).toBe(403);
    expect(await rawPost(url, { ...ok, origin: "http://localhost:5173" })).toBe(200);
    expect(await rawPost(url, { ...ok, host: "evil.example" })).toBe(403);
  });
});
