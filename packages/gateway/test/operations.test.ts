// Operations: one structured log line per 5xx (request id, no secrets), Prometheus metrics,
// a bounded audit log with retention, refused writes in a batch audited as denied, and
// optional Host/Origin allowlists.
import { pino } from "pino";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteRegistry, type Registry } from "../src/index.js";
import {
  ADMIN_KEY,
  GATEWAY_ORIGIN,
  callTool,
  createAccount,
  createServer,
  rpc,
  startWorld,
  type Json,
  type World,
} from "./helpers/world.js";

function memoryLogger(level = "info") {
  const lines: Json[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level }, stream) };
}

const post = (world: World, url: string, body: unknown, headers: Record<string, string> = {}) =>
  world.gateway.fetch(
    new Request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify(body),
    }),
  );

describe("logs", () => {
  let world: World;
  let failing = false;
  const log = memoryLogger();
  beforeAll(async () => {
    const registry = createSqliteRegistry(":memory:");
    // The registry fails on demand with a message holding a token and a path.
    const flaky: Registry = {
      ...registry,
      findByTokenHash: async (hash) => {
        if (failing) throw new Error("boom polar_oat_SECRETTOKEN in /srv/app/internal/file.ts");
        return registry.findByTokenHash(hash);
      },
      listAccounts: async () => {
        if (failing) throw new Error("list failed at /srv/app/db.ts");
        return registry.listAccounts();
      },
    };
    world = await startWorld({ registry: flaky, logger: log.logger });
  });
  afterAll(async () => world?.close());

  it("writes exactly one error line per 5xx, with the request id and no secret, path or token", async () => {
    const accountId = await createAccount(world);
    const server = await createServer(world, accountId);
    const secret = new URL(server.url).pathname.split("/").pop()!;
    expect((await callTool(world, server.url, "customers_list")).status).toBe(200);
    expect(log.lines.filter((l) => l.level >= 50)).toHaveLength(0);

    failing = true;
    try {
      const res = await post(
        world,
        server.url,
        { jsonrpc: "2.0", id: 1, method: "tools/list" },
        { "x-request-id": "trace-123" },
      );
      expect(res.status).toBe(500);
      expect(res.headers.get("x-request-id")).toBe("trace-123");
      const body = await res.text();
      expect(body).not.toContain("boom");
      const admin = await world.admin("GET", "/accounts");
      expect(admin.status).toBe(500);
    } finally {
      failing = false;
    }
    const errors = log.lines.filter((l) => l.level >= 50);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({
      req_id: "trace-123",
      method: "POST",
      path: "/mcp/:secret",
      status: 500,
      error: { type: "Error" },
    });
    expect(errors[1]).toMatchObject({ path: "/admin/accounts", status: 500 });
    expect(errors[1].req_id).toMatch(/^[0-9a-f-]{36}$/);
    const text = JSON.stringify(log.lines);
    expect(text).not.toContain(secret);
    expect(text).not.toContain("SECRETTOKEN");
    expect(text).not.toContain("/srv/app");
    expect(text).not.toContain(ADMIN_KEY);
  });
});

describe("metrics, audit bounds and batches", () => {
  let world: World;
  let accountId: string;
  beforeAll(async () => {
    world = await startWorld({
      auditArguments: true,
      auditRetentionDays: 1,
      rateLimits: { server: { limit: 3, windowSeconds: 60 } },
      metricsKey: "metrics-key-0123456789",
    });
    accountId = await createAccount(world);
    world.clock.advance(60_000 - (world.clock.now() % 60_000));
  });
  afterAll(async () => world?.close());

  const metrics = async (key = "metrics-key-0123456789") => {
    const res = await world.gateway.fetch(
      new Request(`${GATEWAY_ORIGIN}/metrics`, { headers: { authorization: `Bearer ${key}` } }),
    );
    return { status: res.status, text: await res.text() };
  };

  it("records a refused write inside a batch as denied, beside the allowed call", async () => {
    const server = await createServer(world, accountId, { config: { read_only: true } });
    const res = await post(world, server.url, [
      {
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "customers_list", arguments: { limit: 1 } },
      },
      {
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "customers_create", arguments: { email: "a@b.co" } },
      },
    ]);
    expect(res.status).toBe(200);
    const audit = (await world.admin("GET", `/audit?server_id=${server.id}`)).json.items;
    const byTool = Object.fromEntries(audit.map((e: Json) => [e.tool, e]));
    expect(byTool.customers_list).toMatchObject({ status: "ok", upstream_status: 200 });
    expect(byTool.customers_create).toMatchObject({ status: "denied", upstream_status: null });
  });

  it("bounds tool names and arguments, and deletes entries past the retention", async () => {
    world.clock.advance(60_000);
    const server = await createServer(world, accountId);
    await callTool(world, server.url, "x".repeat(5000));
    await callTool(world, server.url, "customers_list", { limit: 1, query: "q".repeat(20_000) });
    const audit = (await world.admin("GET", `/audit?server_id=${server.id}`)).json.items;
    expect(audit[1].tool).toHaveLength(128);
    expect(audit[1].status).toBe("denied");
    expect(audit[0].arguments).toEqual({ truncated: true, bytes: expect.any(Number) });
    world.clock.advance(2 * 86_400_000);
    await callTool(world, server.url, "customers_list", { limit: 1 });
    const kept = (await world.admin("GET", `/audit?server_id=${server.id}`)).json.items;
    expect(kept).toHaveLength(1);
    expect(kept[0].at).toBe(new Date(world.clock.now()).toISOString());
  });

  it("serves Prometheus metrics behind the metrics key: requests, tool calls, denials, upstream latency, 429s per account", async () => {
    world.clock.advance(60_000);
    const server = await createServer(world, accountId);
    for (let i = 0; i < 4; i += 1)
      await callTool(world, server.url, "customers_list", { limit: 1 });
    expect((await metrics("wrong-key-0123456789")).status).toBe(401);
    const { status, text } = await metrics();
    expect(status).toBe(200);
    const value = (line: string) =>
      Number(new RegExp(`^${line.replace(/[{}"]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1]);
    expect(
      value(`polar_mcp_gateway_tool_calls_total{account_id="${accountId}",status="ok"}`),
    ).toBeGreaterThanOrEqual(4);
    expect(
      value(`polar_mcp_gateway_denials_total{account_id="${accountId}",reason="denied"}`),
    ).toBeGreaterThanOrEqual(2);
    expect(
      value(`polar_mcp_gateway_denials_total{account_id="${accountId}",reason="rate_limited"}`),
    ).toBe(1);
    expect(
      value(`polar_mcp_gateway_rate_limited_total{account_id="${accountId}",source="gateway"}`),
    ).toBe(1);
    expect(
      value(
        `polar_mcp_gateway_upstream_duration_seconds_count{account_id="${accountId}",status_class="2xx"}`,
      ),
    ).toBeGreaterThanOrEqual(4);
    expect(value(`polar_mcp_gateway_http_requests_total{surface="mcp",status="429"}`)).toBe(1);
    expect(
      value(`polar_mcp_gateway_http_requests_total{surface="mcp",status="200"}`),
    ).toBeGreaterThanOrEqual(5);
  });
});

describe("Host and Origin allowlists", () => {
  let world: World;
  let url: string;
  beforeAll(async () => {
    world = await startWorld({
      allowedHosts: ["gateway.test"],
      allowedOrigins: ["https://app.example"],
    });
    url = (await createServer(world, await createAccount(world))).url;
  });
  afterAll(async () => world?.close());

  it("refuses other hosts (421) and other browser origins (403); probes answer on any host", async () => {
    const other = url.replace("gateway.test", "evil.test");
    expect((await rpc(world.gateway.fetch, other, "tools/list")).status).toBe(421);
    expect((await world.gateway.fetch(new Request("http://10.0.0.5/healthz"))).status).toBe(200);
    const evil = await rpc(
      world.gateway.fetch,
      url,
      "tools/list",
      {},
      { origin: "https://evil.example" },
    );
    expect(evil.status).toBe(403);
    expect(evil.body.error).toBe("origin_not_allowed");
    const good = await rpc(
      world.gateway.fetch,
      url,
      "tools/list",
      {},
      { origin: "https://app.example" },
    );
    expect(good.status).toBe(200);
    expect(good.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect((await rpc(world.gateway.fetch, url, "tools/list")).status).toBe(200);
  });
});
