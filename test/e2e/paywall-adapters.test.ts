// The paywall's adapters against the emulator over real sockets, with the official MCP
// client: the MCP SDK v1 over Streamable HTTP and stdio, and FastMCP. (xmcp: paywall-xmcp.test.ts.)
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { PolarProvider } from "@polar-mcp/paywall";
import { licenseKeyAuthenticate, paidExecute } from "@polar-mcp/paywall/fastmcp";
import { hostMcpOverHttp, paidTool } from "@polar-mcp/paywall/mcp-sdk";
import { FastMCP } from "fastmcp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";

let emulator: RunningEmulator;
let seed: NonNullable<RunningEmulator["seed"]>;
// Background delivery (the default) keeps usage in an outbox file until shipped: a private one.
const outboxDir = mkdtempSync(join(tmpdir(), "paywall-e2e-"));
process.env.POLAR_PAYWALL_OUTBOX = join(outboxDir, "outbox.sqlite");

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
  });

async function events(): Promise<number> {
  const res = await fetch(
    `${emulator.url}/v1/events/?customer_id=${seed.customerId}&name=tool_call&limit=1`,
    {
      headers: { authorization: `Bearer ${seed.accessToken}` },
    },
  );
  return ((await res.json()) as { pagination: { total_count: number } }).pagination.total_count;
}

/** Ships what this process accepted, then reads the count (usage is shipped in the background). */
async function eventsAfterFlush(): Promise<number> {
  await provider().flush();
  return events();
}

/** Another process ships in its own time: wait until Polar holds `count` events. */
async function eventually(count: number): Promise<void> {
  await vi.waitFor(async () => expect(await events()).toBe(count), {
    timeout: 15_000,
    interval: 50,
  });
}

async function httpClient(url: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return client;
}

const text = (r: CallToolResult) =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("");
const code = (r: CallToolResult) => (r.structuredContent as { code?: string } | undefined)?.code;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("official MCP SDK over Streamable HTTP", () => {
  it("serves a paid call, denies without a key as an isError result, and charges only successes", async () => {
    const polar = provider();
    const hosted = await hostMcpOverHttp(() => {
      const server = new McpServer({ name: "t", version: "1" });
      server.registerTool(
        "greet",
        { inputSchema: { name: z.string() } },
        paidTool(polar, { toolName: "greet" }, async ({ name }) => ({
          content: [{ type: "text", text: `Hello, ${name}!` }],
        })),
      );
      server.registerTool(
        "fails",
        {},
        paidTool(polar, { toolName: "fails" }, async () => ({
          isError: true,
          content: [{ type: "text", text: "tool failed" }],
        })),
      );
      server.registerTool(
        "fails_attempt",
        {},
        paidTool(polar, { toolName: "fails_attempt", recordOn: "attempt" }, async () => ({
          isError: true,
          content: [{ type: "text", text: "tool failed" }],
        })),
      );
      return server;
    });
    const before = await events();
    const paying = await httpClient(hosted.url, { "license-key": seed.licenseKey });
    const bearer = await httpClient(hosted.url, { authorization: `Bearer ${seed.licenseKey}` });
    const anonymous = await httpClient(hosted.url, {});
    try {
      const ok = (await paying.callTool({
        name: "greet",
        arguments: { name: "Ada" },
      })) as CallToolResult;
      expect(text(ok)).toBe("Hello, Ada!");
      expect(ok.isError).toBeFalsy();
      const viaBearer = (await bearer.callTool({
        name: "greet",
        arguments: { name: "Bo" },
      })) as CallToolResult;
      expect(text(viaBearer)).toBe("Hello, Bo!");
      expect(await eventsAfterFlush()).toBe(before + 2);

      const denied = (await anonymous.callTool({
        name: "greet",
        arguments: { name: "Ada" },
      })) as CallToolResult;
      expect(denied.isError).toBe(true);
      expect(code(denied)).toBe("license_key_missing");
      expect(text(denied)).toContain("license-key");

      await paying.callTool({ name: "fails", arguments: {} });
      expect(await eventsAfterFlush()).toBe(before + 2);
      await paying.callTool({ name: "fails_attempt", arguments: {} });
      expect(await eventsAfterFlush()).toBe(before + 3);
    } finally {
      await Promise.all([paying.close(), bearer.close(), anonymous.close()]);
      await hosted.close();
    }
  });
});

describe("official MCP SDK over stdio", () => {
  it("reads the key from POLAR_LICENSE_KEY and bills the call", async () => {
    const before = await events();
    const example = fileURLToPath(new URL("../../examples/paid-server-stdio.ts", import.meta.url));
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
        POLAR_PAYWALL_OUTBOX: join(outboxDir, "stdio-outbox.sqlite"),
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
      await eventually(before + 1);
    } finally {
      await client.close();
    }
  });
});

describe("FastMCP", () => {
  it("takes the key from the session and denies without one", async () => {
    const polar = provider();
    const port = await freePort();
    const server = new FastMCP({
      name: "t",
      version: "1.0.0",
      authenticate: licenseKeyAuthenticate(),
    });
    server.addTool({
      name: "greet",
      parameters: z.object({ name: z.string() }),
      execute: paidExecute(
        polar,
        { toolName: "greet" },
        async ({ name }: { name: string }) => `Hello, ${name}!`,
      ),
    });
    await server.start({ transportType: "httpStream", httpStream: { port, host: "127.0.0.1" } });
    const before = await events();
    const paying = await httpClient(`http://127.0.0.1:${port}/mcp`, {
      "license-key": seed.licenseKey,
    });
    const anonymous = await httpClient(`http://127.0.0.1:${port}/mcp`, {});
    try {
      const ok = (await paying.callTool({
        name: "greet",
        arguments: { name: "Fast" },
      })) as CallToolResult;
      expect(text(ok)).toBe("Hello, Fast!");
      expect(await eventsAfterFlush()).toBe(before + 1);
      // The server's own POLAR_LICENSE_KEY (meant for stdio) never pays for an HTTP caller.
      process.env.POLAR_LICENSE_KEY = seed.licenseKey;
      const denied = (await anonymous.callTool({
        name: "greet",
        arguments: { name: "Fast" },
      })) as CallToolResult;
      expect(denied.isError).toBe(true);
      expect(text(denied)).toMatch(/license key is required/);
      expect(await eventsAfterFlush()).toBe(before + 1);
    } finally {
      delete process.env.POLAR_LICENSE_KEY;
      await Promise.all([paying.close(), anonymous.close()]);
      await server.stop();
    }
  });
});

describe("billing integrity over HTTP (MCP SDK v1, hostMcpOverHttp)", () => {
  const greetServer = (polar: PolarProvider) => () => {
    const server = new McpServer({ name: "t", version: "1" });
    server.registerTool(
      "greet",
      { inputSchema: { name: z.string() } },
      paidTool(polar, { toolName: "greet" }, async ({ name }) => ({
        content: [{ type: "text", text: `Hello, ${name}!` }],
      })),
    );
    return server;
  };

  it("never bills the server's POLAR_LICENSE_KEY for an HTTP caller without a key", async () => {
    const polar = provider();
    const hosted = await hostMcpOverHttp(greetServer(polar));
    process.env.POLAR_LICENSE_KEY = seed.licenseKey;
    const anonymous = await httpClient(hosted.url, {});
    try {
      const before = await events();
      const denied = (await anonymous.callTool({
        name: "greet",
        arguments: { name: "Eve" },
      })) as CallToolResult;
      expect(denied.isError).toBe(true);
      expect(code(denied)).toBe("license_key_missing");
      expect(await eventsAfterFlush()).toBe(before);
      expect(polar.pendingEvents()).toBe(0);
    } finally {
      delete process.env.POLAR_LICENSE_KEY;
      await anonymous.close();
      await hosted.close();
    }
  });

  it("answers 413 to a body above maxBodyBytes, before any MCP server is made", async () => {
    let made = 0;
    const hosted = await hostMcpOverHttp(
      () => {
        made += 1;
        return greetServer(provider())();
      },
      { maxBodyBytes: 1024 },
    );
    try {
      const body = JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "greet", arguments: { name: "x".repeat(4096) } },
      });
      const res = await fetch(hosted.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body,
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /1024 bytes/,
      );
      expect(made).toBe(0);
    } finally {
      await hosted.close();
    }
  });

  it("a request failing inside the server: 500 with a JSON-RPC error, one structured log line, no detail leaked", async () => {
    const logged: { code: string; reason: string }[] = [];
    const hosted = await hostMcpOverHttp(
      () => {
        throw new Error("boom at /srv/app/secret.ts");
      },
      { onError: (fields) => logged.push(fields) },
    );
    try {
      const res = await fetch(hosted.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      expect(res.status).toBe(500);
      const body = await res.text();
      expect(JSON.parse(body)).toMatchObject({
        error: { code: -32603, message: "Internal error" },
      });
      expect(body).not.toContain("/srv/app");
      expect(logged).toEqual([{ code: "mcp_http_internal_error", reason: "Error" }]);
    } finally {
      await hosted.close();
    }
  });

  it("sessionSpendCap over stateless HTTP refuses the call and says why (never uncapped, never charged)", async () => {
    const polar = PolarProvider.getInstance({
      token: seed.accessToken,
      organizationId: seed.organizationId,
      productId: seed.productId,
      baseUrl: emulator.url,
      sessionSpendCap: 5,
    });
    const hosted = await hostMcpOverHttp(greetServer(polar));
    const paying = await httpClient(hosted.url, { "license-key": seed.licenseKey });
    try {
      const before = await events();
      const refused = (await paying.callTool({
        name: "greet",
        arguments: { name: "Cap" },
      })) as CallToolResult;
      expect(refused.isError).toBe(true);
      expect(code(refused)).toBe("license_key_error");
      expect(text(refused)).toMatch(/sessionSpendCap/);
      expect(text(refused)).toMatch(/no session/);
      await polar.flush();
      expect(polar.pendingEvents()).toBe(0);
      expect(await events()).toBe(before);
    } finally {
      await paying.close();
      await hosted.close();
      await polar.close();
    }
  });
});
