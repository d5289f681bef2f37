// The admin API's answers to bad input, and the HTTP edges of the MCP endpoint.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callTool,
  createAccount,
  createServer,
  GATEWAY_ORIGIN,
  startWorld,
  type Json,
  type World,
} from "./helpers/world.js";

let world: World;
let accountId: string;
beforeAll(async () => {
  world = await startWorld();
  accountId = await createAccount(world);
});
afterAll(async () => world?.close());

describe("admin API input", () => {
  it.each([
    [{}, "name is required"],
    [{ name: "A" }, "access_token is required"],
    [
      { name: "A", access_token: "t", server: "staging" },
      'server must be "production" or "sandbox"',
    ],
    [{ name: "A", access_token: "t", base_url: "ftp://x" }, "base_url must be an http(s) URL"],
  ])("refuses account %j with a message saying what to fix", async (body, message) => {
    const res = await world.admin("POST", "/accounts", body);
    expect(res.status).toBe(422);
    expect(res.json.detail).toContain(message);
  });

  it("picks Polar's URLs for production and sandbox", async () => {
    const sandbox = await world.admin("POST", "/accounts", {
      name: "S",
      access_token: "polar_oat_x",
      server: "sandbox",
    });
    expect(sandbox.json).toMatchObject({
      environment: "sandbox",
      base_url: "https://sandbox-api.polar.sh",
    });
    const production = await world.admin("POST", "/accounts", {
      name: "P",
      access_token: "polar_oat_x",
    });
    expect(production.json).toMatchObject({
      environment: "production",
      base_url: "https://api.polar.sh",
    });
  });

  it.each([
    [{ name: "x", expires_at: "tomorrow" }, "expires_at must be an ISO 8601 date-time"],
    [{ name: "x", expires_at: "2026-06-01T12:00:00" }, "with a time zone"],
    [{ name: "x", expires_at: "2020-01-01T00:00:00Z" }, "expires_at is in the past"],
    [{ name: "x", require_api_token_auth: "yes" }, "require_api_token_auth must be true or false"],
    [{ name: "x", config: { read_only: "true" } }, "config.read_only must be true or false"],
    [{ name: "x", config: { mode: "fast" } }, 'config.mode must be "static"'],
    [{ name: "x", config: { tools: ["nope_tool"] } }, 'Unknown tool "nope_tool"'],
  ])("refuses server %j", async (body, message) => {
    const res = await world.admin("POST", `/accounts/${accountId}/mcp-servers`, body);
    expect(res.status).toBe(422);
    expect(res.json.detail).toContain(message);
  });

  it("answers 404 for unknown ids and 400 for a body that is not JSON", async () => {
    expect((await world.admin("GET", "/accounts/acc_nope")).json).toMatchObject({
      error: "account_not_found",
    });
    expect((await world.admin("POST", "/mcp-servers/mcp_nope/rotate")).status).toBe(404);
    const raw = await world.gateway.fetch(
      new Request(`${GATEWAY_ORIGIN}/admin/accounts`, {
        method: "POST",
        headers: {
          authorization: "Bearer test-admin-key-0123456789",
          "content-type": "application/json",
        },
        body: "{nope",
      }),
    );
    expect(raw.status).toBe(400);
  });

  it("serves the seed's path POST /integrated-account/:id/mcp with { id, name, url }", async () => {
    const res = await world.admin("POST", `/integrated-account/${accountId}/mcp`, {
      name: "Claude Polar Assistant",
      config: { methods: ["read", "write", "custom"] },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.any(String),
      name: "Claude Polar Assistant",
      url: expect.stringContaining("/mcp/"),
    });
  });
});

describe("MCP endpoint edges", () => {
  it("answers a CORS preflight for browser clients and exposes the rate-limit headers", async () => {
    const server = await createServer(world, accountId);
    const preflight = await world.gateway.fetch(
      new Request(server.url, {
        method: "OPTIONS",
        headers: {
          origin: "http://localhost:6274",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const call = await callTool(
      world,
      server.url,
      "customers_list",
      {},
      { origin: "http://localhost:6274" },
    );
    expect(call.headers.get("access-control-expose-headers")).toContain("RateLimit");
  });

  it("refuses an oversized body with 413 and GET with 405", async () => {
    const server = await createServer(world, accountId);
    const big = await world.gateway.fetch(
      new Request(server.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "customers_list", arguments: { q: "x".repeat(5 * 1024 * 1024) } },
        }),
      }),
    );
    expect(big.status).toBe(413);
    const get = await world.gateway.fetch(new Request(server.url));
    expect(get.status).toBe(405);
    expect(((await get.json()) as Json).error.message).toContain("send JSON-RPC with POST");
  });
});

describe("a Polar that does not answer", () => {
  it("fails the tool call after upstreamTimeoutMs and audits it as an error", async () => {
    const hanging = await startWorld(
      {
        upstreamTimeoutMs: 50,
        fetch: (input, init) =>
          String(input).includes("/v1/")
            ? new Promise<Response>((_, reject) =>
                init?.signal?.addEventListener("abort", () => reject(new Error("timed out"))),
              )
            : fetch(input, init),
      },
      world.emulator,
    );
    try {
      const account = await createAccount(hanging);
      const server = await createServer(hanging, account);
      const res = await callTool(hanging, server.url, "customers_list");
      expect(res.result?.isError).toBe(true);
      expect(JSON.stringify(res.result?.content)).toContain("Could not reach Polar");
      const audit = (await hanging.admin("GET", `/audit?server_id=${server.id}`)).json.items;
      expect(audit[0]).toMatchObject({ status: "error", upstream_status: null });
    } finally {
      await hanging.close();
    }
  });
});
