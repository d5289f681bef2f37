// The REST proxy: /proxy/<secret>/v1/… reaches Polar with the account's credential, under
// the server's config (methods, tags, read-only), its rate limits and the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createServer, startWorld, type Json, type World } from "./helpers/world.js";

describe("REST proxy", () => {
  let world: World;
  let accountId: string;
  const seen: Array<{ url: string; authorization: string | null; cookie: string | null }> = [];
  const proxy = async (
    base: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await world.gateway.fetch(
      new Request(`${base}${path}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: text ? (JSON.parse(text) as Json) : undefined,
    };
  };

  beforeAll(async () => {
    world = await startWorld({
      rateLimits: { server: { limit: 4, windowSeconds: 60 } },
      fetch: async (input, init) => {
        const url = String(input);
        if (url.includes("/v1/")) {
          const headers = new Headers(init?.headers);
          seen.push({
            url,
            authorization: headers.get("authorization"),
            cookie: headers.get("cookie"),
          });
        }
        return fetch(input, init);
      },
    });
    accountId = await createAccount(world);
    world.clock.advance(60_000 - (world.clock.now() % 60_000));
  });
  afterAll(async () => world?.close());

  it("forwards allowed calls with the account's token in place of the caller's, query string and all", async () => {
    const server = await createServer(world, accountId, {
      config: { tags: ["customers"], read_only: true },
    });
    expect(server.proxy_url).toMatch(/\/proxy\/[A-Za-z0-9_-]{43}$/);
    const res = await proxy(server.proxy_url, "GET", "/v1/customers/?limit=1", undefined, {
      authorization: "Bearer caller-token",
      cookie: "session=abc",
    });
    expect(res.status).toBe(200);
    expect(res.json.items).toHaveLength(1);
    expect(res.headers.get("ratelimit")).toBe('"server";r=3;t=60, "account";r=499;t=60');
    const last = seen.at(-1)!;
    expect(last.url).toBe(`${world.emulator.url}/v1/customers/?limit=1`);
    expect(last.authorization).toBe(`Bearer ${world.emulator.seed!.accessToken}`);
    expect(last.cookie).toBeNull();
    const one = await proxy(server.proxy_url, "GET", `/v1/customers/${res.json.items[0].id}`);
    expect(one.status).toBe(200);
    expect(one.json.id).toBe(res.json.items[0].id);
  });

  it("refuses what the config does not allow (read-only, tags) and what is not Polar's API, sending nothing", async () => {
    const server = await createServer(world, accountId, {
      config: { tags: ["customers"], read_only: true },
    });
    const before = seen.length;
    const write = await proxy(server.proxy_url, "POST", "/v1/customers/", {
      email: "x@example.com",
    });
    expect(write.status).toBe(403);
    expect(write.json).toMatchObject({ error: "operation_not_allowed" });
    expect(write.json.detail).toContain("read-only");
    const otherTag = await proxy(server.proxy_url, "GET", "/v1/products/");
    expect(otherTag.status).toBe(403);
    expect(otherTag.json.detail).toContain("outside the server's tags");
    const unknown = await proxy(server.proxy_url, "GET", "/v1/no-such-thing");
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe("unknown_operation");
    expect(seen.length).toBe(before);
    const audit = (await world.admin("GET", `/audit?server_id=${server.id}`)).json.items;
    expect(audit.map((e: Json) => [e.tool, e.status])).toEqual([
      ["products_list", "denied"],
      ["customers_create", "denied"],
    ]);
  });

  it("writes through a server that allows them, and passes Polar's errors on as Polar sent them", async () => {
    const server = await createServer(world, accountId, { config: { tags: ["customers"] } });
    const created = await proxy(server.proxy_url, "POST", "/v1/customers/", {
      email: "proxy@example.com",
      name: "Proxy",
    });
    expect(created.status).toBe(201);
    expect(created.json.email).toBe("proxy@example.com");
    const invalid = await proxy(server.proxy_url, "POST", "/v1/customers/", { email: 3 });
    expect(invalid.status).toBe(422);
    expect(Array.isArray(invalid.json.detail)).toBe(true);
    const audit = (await world.admin("GET", `/audit?server_id=${server.id}`)).json.items;
    expect(audit.map((e: Json) => [e.tool, e.status, e.upstream_status])).toEqual([
      ["customers_create", "error", 422],
      ["customers_create", "ok", 201],
    ]);
  });

  it("shares the server's rate limit (429 with Retry-After) and stops with a rotated URL", async () => {
    world.clock.advance(60_000);
    const server = await createServer(world, accountId);
    for (let i = 0; i < 4; i += 1)
      expect((await proxy(server.proxy_url, "GET", "/v1/customers/?limit=1")).status).toBe(200);
    const limited = await proxy(server.proxy_url, "GET", "/v1/customers/?limit=1");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(limited.json.error).toBe("rate_limited");
    const rotated = await world.admin("POST", `/mcp-servers/${server.id}/rotate`);
    expect((await proxy(server.proxy_url, "GET", "/v1/customers/")).status).toBe(410);
    expect(rotated.json.proxy_url).not.toBe(server.proxy_url);
  });
});
