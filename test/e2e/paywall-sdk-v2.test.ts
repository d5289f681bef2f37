// The MCP SDK v2 line (@modelcontextprotocol/server 2.x) with its own client
// (@modelcontextprotocol/client 2.x) over Streamable HTTP on a real socket: paidTool finds
// the key in the v2 context (ctx.http.req), bills successes, denies with a checkout link —
// and never bills the server's own POLAR_LICENSE_KEY for an HTTP caller.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import {
  McpServer,
  WebStandardStreamableHTTPServerTransport,
  type CallToolResult,
} from "@modelcontextprotocol/server";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { PolarProvider } from "@polar-mcp/paywall";
import { paidTool } from "@polar-mcp/paywall/mcp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";

let emulator: RunningEmulator;
let seed: NonNullable<RunningEmulator["seed"]>;

beforeAll(async () => {
  emulator = await startEmulator({ db: ":memory:", seed: "demo" });
  seed = emulator.seed!;
});
afterAll(() => emulator.close());

const provider = () =>
  PolarProvider.getInstance({
    token: seed.accessToken,
    organizationId: seed.organizationId,
    productId: seed.productId,
    baseUrl: emulator.url,
    outbox: ":memory:",
  });

async function events(): Promise<number> {
  const res = await fetch(
    `${emulator.url}/v1/events/?customer_id=${seed.customerId}&name=tool_call&limit=1`,
    { headers: { authorization: `Bearer ${seed.accessToken}` } },
  );
  return ((await res.json()) as { pagination: { total_count: number } }).pagination.total_count;
}

async function toRequest(req: IncomingMessage, url: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === "string") headers.set(name, value);
  return new Request(url, {
    method: req.method ?? "GET",
    headers,
    ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
  });
}

/** A stateless v2 server on node:http: one McpServer and web-standard transport per request. */
async function hostV2(createMcp: () => McpServer): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void (async () => {
      const mcp = createMcp();
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      await mcp.connect(transport);
      const response = await transport.handleRequest(
        await toRequest(req, `http://127.0.0.1${req.url ?? "/"}`),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
      await mcp.close();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

async function connect(url: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return client;
}

const text = (r: CallToolResult) =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("");

describe("MCP SDK v2 (@modelcontextprotocol/server 2.x)", () => {
  it("finds the key in ctx.http.req, bills a success, denies without a key (the server's POLAR_LICENSE_KEY never used)", async () => {
    const polar = provider();
    const { url, server } = await hostV2(() => {
      const mcp = new McpServer({ name: "v2", version: "1.0.0" });
      mcp.registerTool(
        "greet",
        { inputSchema: z.object({ name: z.string() }) },
        paidTool(polar, { toolName: "greet" }, async ({ name }: { name: string }) => ({
          content: [{ type: "text", text: `Hello, ${name}!` }],
        })),
      );
      return mcp;
    });
    // The server's own key, as an operator might set it for stdio: HTTP callers never get it.
    process.env.POLAR_LICENSE_KEY = seed.licenseKey;
    const paying = await connect(url, { "license-key": seed.licenseKey });
    const anonymous = await connect(url, {});
    try {
      const before = await events();
      const ok = (await paying.callTool({
        name: "greet",
        arguments: { name: "Vee" },
      })) as CallToolResult;
      expect(ok.isError).toBeFalsy();
      expect(text(ok)).toBe("Hello, Vee!");

      const denied = (await anonymous.callTool({
        name: "greet",
        arguments: { name: "Vee" },
      })) as CallToolResult;
      expect(denied.isError).toBe(true);
      expect(denied.structuredContent).toMatchObject({
        code: "license_key_missing",
        checkoutUrl: expect.stringMatching(/^https?:\/\//),
      });
      await polar.flush();
      expect(polar.pendingEvents()).toBe(0);
      expect(await events()).toBe(before + 1);
    } finally {
      delete process.env.POLAR_LICENSE_KEY;
      await Promise.all([paying.close(), anonymous.close()]);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("examples/paid-server-v2.ts over stdio: the key from POLAR_LICENSE_KEY, the call billed", async () => {
    const before = await events();
    const example = fileURLToPath(new URL("../../examples/paid-server-v2.ts", import.meta.url));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--conditions=polar-mcp-source", "--import", "tsx", example],
      env: {
        ...(process.env as Record<string, string>),
        POLAR_TOKEN: seed.accessToken,
        POLAR_ORGANIZATION_ID: seed.organizationId,
        POLAR_PRODUCT_ID: seed.productId,
        POLAR_BASE_URL: emulator.url,
        POLAR_LICENSE_KEY: seed.licenseKey,
        XDG_STATE_HOME: mkdtempSync(join(tmpdir(), "paywall-v2-state-")),
      },
      stderr: "pipe",
    });
    const client = new Client({ name: "test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const result = (await client.callTool({
        name: "greet",
        arguments: { name: "Stdio" },
      })) as CallToolResult;
      expect(text(result)).toBe("Hello, Stdio!");
      // Another process ships in its own time.
      await vi.waitFor(async () => expect(await events()).toBe(before + 1), {
        timeout: 15_000,
        interval: 100,
      });
    } finally {
      await client.close();
    }
  });
});
