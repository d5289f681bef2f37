// The rest of the paywall's subpath entries, in process as an integrator calls them:
// @polar-mcp/paywall/proxy's connectUpstream + createPaidProxyServer in front of a third-party
// MCP server (@modelcontextprotocol/server-everything over stdio), and @polar-mcp/paywall/demo's
// startDemo + createPaidExampleServer, against the emulator, with the official MCP client.
import { createRequire } from "node:module";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startEmulator, type DemoSeed, type RunningEmulator } from "@polar-mcp/emulator";
import { PolarProvider } from "@polar-mcp/paywall";
import { createPaidExampleServer, startDemo } from "@polar-mcp/paywall/demo";
import {
  connectUpstream,
  createPaidProxyServer,
  parseProxyConfig,
  PRICE_META_KEY,
  PurchaseWaits,
} from "@polar-mcp/paywall/proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const EVERYTHING = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/server-everything/dist/index.js",
);

const textOf = (result: CallToolResult) =>
  result.content.map((c) => (c.type === "text" ? c.text : "")).join("");

/** Usage (user) events Polar (the emulator) holds, optionally for one customer: the count and a page. */
async function usageEvents(url: string, token: string, customerId?: string) {
  const filter = customerId ? `customer_id=${customerId}&` : "";
  const response = await fetch(`${url}/v1/events/?${filter}source=user&limit=100`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const page = (await response.json()) as {
    items: { name: string; source: string; metadata: Record<string, unknown> }[];
    pagination: { total_count: number };
  };
  expect(page.items.every((event) => event.source === "user")).toBe(true);
  return Object.assign(page.items, { total: page.pagination.total_count });
}

describe("connectUpstream + createPaidProxyServer through @polar-mcp/paywall/proxy", () => {
  let running: RunningEmulator;
  let seed: DemoSeed;
  let polar: PolarProvider;
  let upstream: Client;
  let client: Client;
  let dispose: () => void;

  beforeAll(async () => {
    running = await startEmulator({ db: ":memory:", seed: "demo", instantBalances: true });
    seed = running.seed as DemoSeed;
    const config = parseProxyConfig({
      upstream: { command: process.execPath, args: [EVERYTHING, "stdio"] },
      polar: {
        organizationId: seed.organizationId,
        productId: seed.productId,
        baseUrl: running.url,
      },
      tools: { "get-sum": 2 },
      free: ["echo"],
    });
    polar = PolarProvider.getInstance({
      token: seed.accessToken,
      organizationId: seed.organizationId,
      productId: seed.productId,
      baseUrl: running.url,
      outbox: ":memory:",
    });
    upstream = await connectUpstream(config.upstream);
    const proxy = createPaidProxyServer({
      config,
      polar,
      upstream,
      transport: "http",
      waits: new PurchaseWaits(),
    });
    dispose = proxy.dispose;
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await proxy.server.connect(serverSide);
    client = new Client({ name: "proxy-entry-test", version: "1.0.0" });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client?.close();
    dispose?.();
    await upstream?.close();
    await polar?.close();
    await running?.close();
  });

  it("connectUpstream reaches the third-party server: its tools are what the proxy lists, with the paid one's price in _meta", async () => {
    const direct = (await upstream.listTools()).tools.map((t) => t.name).sort();
    const listed = (await client.listTools()).tools;
    expect(listed.map((t) => t.name).sort()).toEqual(direct);
    const sum = listed.find((t) => t.name === "get-sum");
    expect(sum?._meta?.[PRICE_META_KEY]).toBeDefined();
    expect(sum?.description).toMatch(/2 credits per call/);
  });

  it("forwards a free tool without a key, charges a paid call with the key once it succeeds, and refuses a paid call without one", async () => {
    const echo = (await client.callTool({
      name: "echo",
      arguments: { message: "hello" },
    })) as CallToolResult;
    expect(echo.isError).toBeFalsy();
    expect(textOf(echo)).toContain("hello");

    const paid = (await client.callTool({
      name: "get-sum",
      arguments: { a: 2, b: 3 },
      _meta: { "license-key": seed.licenseKey },
    })) as CallToolResult;
    expect(paid.isError).toBeFalsy();
    expect(textOf(paid)).toContain("5");
    await polar.flush();
    expect(polar.pendingEvents()).toBe(0);
    const events = await usageEvents(running.url, seed.accessToken, seed.customerId);
    const charged = events.filter((e) => e.metadata.tool_name === "get-sum");
    expect(charged).toHaveLength(1);
    expect(charged[0]?.metadata.units).toBe(2);

    const refused = (await client.callTool({
      name: "get-sum",
      arguments: { a: 1, b: 1 },
    })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({ code: "license_key_missing" });
    await polar.flush();
    expect(
      (await usageEvents(running.url, seed.accessToken, seed.customerId)).filter(
        (e) => e.metadata.tool_name === "get-sum",
      ),
    ).toHaveLength(1);
  });
});

describe("startDemo + createPaidExampleServer through @polar-mcp/paywall/demo", () => {
  it("startDemo serves the paid example over HTTP: the seed's key buys a fortune (charged once), no key is refused", async () => {
    const demo = await startDemo({ port: 0 });
    const connect = async (headers: Record<string, string>) => {
      const client = new Client({ name: "demo-entry-test", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(demo.serverUrl), { requestInit: { headers } }),
      );
      return client;
    };
    try {
      expect(demo.instructions).toContain(demo.serverUrl);
      expect(demo.instructions).toContain(demo.seed.licenseKey);
      const before = await usageEvents(demo.emulatorUrl, demo.seed.accessToken);
      const paying = await connect({ "license-key": demo.seed.licenseKey });
      const fortune = (await paying.callTool({ name: "fortune", arguments: {} })) as CallToolResult;
      expect(fortune.isError).toBeFalsy();
      expect(textOf(fortune).length).toBeGreaterThan(0);
      await paying.close();
      await demo.polar.flush();
      expect(demo.polar.pendingEvents()).toBe(0);
      const after = await usageEvents(demo.emulatorUrl, demo.seed.accessToken);
      expect(after.total - before.total).toBe(1);

      const anonymous = await connect({});
      const refused = (await anonymous.callTool({
        name: "fortune",
        arguments: {},
      })) as CallToolResult;
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent).toMatchObject({ code: "license_key_missing" });
      await anonymous.close();
    } finally {
      await demo.close();
    }
  });

  it("createPaidExampleServer serves the free ping and the paid fortune, charging the key's customer one event; without a key fortune is refused", async () => {
    const running = await startEmulator({ db: ":memory:", seed: "demo" });
    const seed = running.seed as DemoSeed;
    const polar = PolarProvider.getInstance({
      token: seed.accessToken,
      organizationId: seed.organizationId,
      productId: seed.productId,
      baseUrl: running.url,
      outbox: ":memory:",
    });
    const server = createPaidExampleServer(polar);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: "example-entry-test", version: "1.0.0" });
    await client.connect(clientSide);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain("fortune");
      expect(names.length).toBeGreaterThan(1);
      const pong = (await client.callTool({ name: "ping", arguments: {} })) as CallToolResult;
      expect(textOf(pong)).toBe("pong");
      const before = await usageEvents(running.url, seed.accessToken, seed.customerId);
      const fortune = (await client.callTool({
        name: "fortune",
        arguments: { topic: "tests" },
        _meta: { "license-key": seed.licenseKey },
      })) as CallToolResult;
      expect(fortune.isError).toBeFalsy();
      expect(textOf(fortune).startsWith("tests: ")).toBe(true);
      await polar.flush();
      expect(polar.pendingEvents()).toBe(0);
      const after = await usageEvents(running.url, seed.accessToken, seed.customerId);
      expect(after.total - before.total).toBe(1);
      const refused = (await client.callTool({ name: "fortune", arguments: {} })) as CallToolResult;
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent).toMatchObject({ code: "license_key_missing" });
    } finally {
      await client.close();
      await server.close();
      await polar.close();
      await running.close();
    }
  });
});
