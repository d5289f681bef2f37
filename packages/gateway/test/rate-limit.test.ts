// Rate limits per server and per account, in IETF-draft and ratelimit-* headers; Polar's
// own 429 passed on in the same form.
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimitHeaders } from "../src/index.js";
import {
  callTool,
  createAccount,
  createServer,
  rpc,
  startWorld,
  type World,
  type Json,
} from "./helpers/world.js";

describe("gateway rate limits", () => {
  let world: World;
  let upstreamCalls = 0;
  const batch = async (url: string, size: number) => {
    const response = await world.gateway.fetch(
      new Request(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify(
          Array.from({ length: size }, (_, i) => ({
            jsonrpc: "2.0",
            id: i + 1,
            method: "tools/call",
            params: { name: "customers_list", arguments: { limit: 1 } },
          })),
        ),
      }),
    );
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Json,
    };
  };
  let accountId: string;
  beforeAll(async () => {
    world = await startWorld({
      rateLimits: {
        server: { limit: 3, windowSeconds: 60 },
        account: { limit: 5, windowSeconds: 60 },
        protocol: { limit: 4, windowSeconds: 60 },
      },
      fetch: async (input, init) => {
        if (String(input).includes("/v1/")) upstreamCalls += 1;
        return fetch(input, init);
      },
    });
    accountId = await createAccount(world);
    // Start on a window boundary so the reset figures are predictable.
    world.clock.advance(60_000 - (world.clock.now() % 60_000));
  });
  afterAll(async () => world?.close());

  it("carries the headers on success and answers 429 with Retry-After once the server's quota is spent", async () => {
    const server = await createServer(world, accountId);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await callTool(world, server.url, "customers_list");
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-policy")).toBe('"server";q=3;w=60, "account";q=5;w=60');
      remaining.push(res.headers.get("ratelimit-remaining")!);
      expect(res.headers.get("ratelimit-limit")).toBe("3");
      expect(res.headers.get("ratelimit-reset")).toBe("60");
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const refused = await callTool(world, server.url, "customers_list");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.headers.get("ratelimit")).toBe('"server";r=0;t=60, "account";r=2;t=60');
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(refused.body.error.message).toContain("server: 3 tool calls per 60 s, 0 left");
    const audit = (await world.admin("GET", `/audit?server_id=${server.id}&limit=1`)).json.items;
    expect(audit[0].status).toBe("rate_limited");
  });

  it("the account's quota spans its servers; a new window starts afresh", async () => {
    world.clock.advance(60_000);
    const a = await createServer(world, accountId);
    const b = await createServer(world, accountId);
    for (let i = 0; i < 3; i += 1)
      expect((await callTool(world, a.url, "customers_list")).status).toBe(200);
    expect((await callTool(world, b.url, "customers_list")).status).toBe(200);
    const last = await callTool(world, b.url, "customers_list");
    expect(last.headers.get("ratelimit-remaining")).toBe("0");
    const refused = await callTool(world, b.url, "customers_list");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("ratelimit")).toContain('"account";r=0');
    world.clock.advance(60_000);
    expect((await callTool(world, b.url, "customers_list")).status).toBe(200);
  });

  it("counts every tools/call of a batch, refuses a batch over the quota before any item runs, and the headers stay true", async () => {
    world.clock.advance(60_000);
    const server = await createServer(world, accountId);
    const before = upstreamCalls;
    const tooMany = await batch(server.url, 4);
    expect(tooMany.status).toBe(429);
    expect(upstreamCalls).toBe(before);
    expect(tooMany.body.error.message).toContain("4 tool calls");
    expect(tooMany.headers.get("ratelimit")).toBe('"server";r=3;t=60, "account";r=5;t=60');
    expect(tooMany.headers.get("retry-after")).toBe("60");
    const audit = (await world.admin("GET", `/audit?server_id=${server.id}`)).json.items;
    expect(audit.map((e: Json) => e.status)).toEqual(Array(4).fill("rate_limited"));

    const two = await batch(server.url, 2);
    expect(two.status).toBe(200);
    expect(two.body).toHaveLength(2);
    expect(upstreamCalls).toBe(before + 2);
    expect(two.headers.get("ratelimit")).toBe('"server";r=1;t=60, "account";r=3;t=60');
    expect((await batch(server.url, 2)).status).toBe(429);
    const one = await callTool(world, server.url, "customers_list");
    expect(one.status).toBe(200);
    expect(one.headers.get("ratelimit-remaining")).toBe("0");
    expect(upstreamCalls).toBe(before + 3);
  });

  it("does not spend the tool-call quotas on protocol chatter (initialize, tools/list, ping); those count under their own protocol quota", async () => {
    world.clock.advance(60_000);
    const server = await createServer(world, accountId);
    for (const method of ["initialize", "tools/list", "ping", "tools/list"]) {
      const params =
        method === "initialize"
          ? {
              protocolVersion: "2025-06-18",
              capabilities: {},
              clientInfo: { name: "t", version: "0" },
            }
          : {};
      const res = await rpc(world.gateway.fetch, server.url, method, params);
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit")).toContain('"server";r=3;t=60, "account";r=5;t=60');
      expect(res.headers.get("ratelimit-policy")).toContain('"protocol";q=4;w=60');
    }
    const refused = await rpc(world.gateway.fetch, server.url, "tools/list");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("ratelimit")).toContain('"protocol";r=0');
    expect((await callTool(world, server.url, "customers_list")).status).toBe(200);
  });
});

describe("Polar's own 429", () => {
  let world: World;
  let accountId: string;
  beforeAll(async () => {
    // A stub upstream: the emulator serves the document, every API call answers 429 the way
    // Polar does (empty body, Retry-After in seconds, no rate-limit headers).
    world = await startWorld({
      fetch: async (input, init) =>
        String(input).includes("/v1/")
          ? new Response(null, { status: 429, headers: { "retry-after": "17" } })
          : fetch(input, init),
    });
    accountId = await createAccount(world);
  });
  afterAll(async () => world?.close());

  it("is passed on at once in the same header form, with the tool's error saying when to retry", async () => {
    const server = await createServer(world, accountId);
    const res = await callTool(world, server.url, "customers_list");
    expect(res.status).toBe(200);
    expect(res.result?.isError).toBe(true);
    expect((res.result?.structuredContent as Json).retry_after_seconds).toBe(17);
    expect(res.headers.get("retry-after")).toBe("17");
    expect(res.headers.get("ratelimit-limit")).toBe("500");
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
    expect(res.headers.get("ratelimit-reset")).toBe("17");
    expect(res.headers.get("ratelimit-policy")).toContain('"polar";q=500;w=60');
    expect(res.headers.get("ratelimit")).toContain('"polar";r=0;t=17');
    const audit = (await world.admin("GET", `/audit?server_id=${server.id}`)).json.items;
    expect(audit[0]).toMatchObject({ status: "upstream_rate_limited", upstream_status: 429 });
  });
});

describe('the emulator\'s Polar rate limit (rateLimit: "polar", 500 requests a minute)', () => {
  let emulator: RunningEmulator;
  let world: World;
  beforeAll(async () => {
    emulator = await startEmulator({ db: ":memory:", seed: "demo", rateLimit: "polar" });
    world = await startWorld({}, emulator);
  });
  afterAll(async () => {
    await world?.close();
    await emulator?.close();
  });

  // Spends the token's window directly, so the next call through the gateway meets Polar's
  // 429. A window about to roll over (Retry-After 1 s) is waited out and spent again.
  async function exhaust(token: string): Promise<void> {
    for (;;) {
      let response: Response;
      do {
        response = await fetch(`${emulator.url}/v1/products/?limit=1`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await response.body?.cancel();
      } while (response.status !== 429);
      const retryAfter = Number(response.headers.get("retry-after"));
      if (retryAfter >= 2) return;
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 50));
    }
  }

  it("normalises the emulator's 429 + Retry-After into the same headers", async () => {
    const accountId = await createAccount(world);
    const server = await createServer(world, accountId);
    await exhaust(emulator.seed!.accessToken);
    const res = await callTool(world, server.url, "customers_list");
    expect(res.result?.isError).toBe(true);
    const retryAfter = (res.result?.structuredContent as Json).retry_after_seconds as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(res.headers.get("retry-after")).toBe(String(retryAfter));
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
    expect(res.headers.get("ratelimit-reset")).toBe(String(retryAfter));
    expect(res.headers.get("ratelimit")).toContain(`"polar";r=0;t=${retryAfter}`);
    expect(res.headers.get("ratelimit-policy")).toContain('"polar";q=500;w=60');
  });
});

describe("rateLimitHeaders", () => {
  it("takes the most restrictive policy for the ratelimit-* fields", () => {
    const headers = rateLimitHeaders([
      {
        name: "server",
        policy: { limit: 10, windowSeconds: 60 },
        remaining: 4,
        resetSeconds: 30,
        exceeded: false,
      },
      {
        name: "account",
        policy: { limit: 100, windowSeconds: 3600 },
        remaining: 2,
        resetSeconds: 900,
        exceeded: false,
      },
    ]);
    expect(headers).toEqual({
      "RateLimit-Policy": '"server";q=10;w=60, "account";q=100;w=3600',
      RateLimit: '"server";r=4;t=30, "account";r=2;t=900',
      "ratelimit-limit": "100",
      "ratelimit-remaining": "2",
      "ratelimit-reset": "900",
    });
  });
});
