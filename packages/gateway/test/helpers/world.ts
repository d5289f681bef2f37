// A gateway in this process against a real emulator on a socket, an admin helper, and the
// official MCP client pointed at a server URL (in-process through the gateway's fetch).
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { createGateway, type Gateway, type GatewayOptions } from "../../src/index.js";

/** Parsed JSON of a response, read loosely by assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const ADMIN_KEY = "test-admin-key-0123456789";
export const ENCRYPTION_KEY = randomBytes(32).toString("base64");
export const GATEWAY_ORIGIN = "http://gateway.test";

/** A clock tests move by hand. */
export function manualClock(start = Date.parse("2026-06-01T12:00:00.000Z")) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

export interface World {
  emulator: RunningEmulator;
  gateway: Gateway;
  clock: ReturnType<typeof manualClock>;
  admin(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Json; headers: Headers }>;
  close(): Promise<void>;
}

export async function startWorld(
  options: Partial<GatewayOptions> = {},
  emulator?: RunningEmulator,
): Promise<World> {
  const emu = emulator ?? (await startEmulator({ db: ":memory:", seed: "demo" }));
  const clock = manualClock();
  const gateway = await createGateway({
    db: ":memory:",
    adminKey: ADMIN_KEY,
    encryptionKey: ENCRYPTION_KEY,
    now: clock.now,
    env: {},
    ...options,
  });
  return {
    emulator: emu,
    gateway,
    clock,
    admin: (method, path, body) => adminCall(gateway.fetch, GATEWAY_ORIGIN, method, path, body),
    async close() {
      await gateway.close();
      if (!emulator) await emu.close();
    },
  };
}

export async function adminCall(
  fetch: (request: Request) => Promise<Response>,
  origin: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Json; headers: Headers }> {
  const response = await fetch(
    new Request(`${origin}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return {
    status: response.status,
    json: text ? JSON.parse(text) : undefined,
    headers: response.headers,
  };
}

/** Creates an account for the emulator's demo organization (or another token). */
export async function createAccount(
  world: World,
  token = world.emulator.seed!.accessToken,
  name = "Acme",
): Promise<string> {
  const { status, json } = await world.admin("POST", "/accounts", {
    name,
    access_token: token,
    base_url: world.emulator.url,
  });
  if (status !== 201) throw new Error(`account: ${status} ${JSON.stringify(json)}`);
  return json.id as string;
}

/** Creates a server and returns the create answer (with its URL). */
export async function createServer(
  world: World,
  accountId: string,
  body: Record<string, unknown> = {},
): Promise<Json> {
  const { status, json } = await world.admin("POST", `/accounts/${accountId}/mcp-servers`, {
    name: "Claude",
    ...body,
  });
  if (status !== 201) throw new Error(`server: ${status} ${JSON.stringify(json)}`);
  return json;
}

/** A raw JSON-RPC POST to an MCP URL; returns status, headers and parsed body. */
export async function rpc(
  fetch: (request: Request) => Promise<Response>,
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(
    new Request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    }),
  );
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** Calls a tool with a raw POST through any fetch handler; returns the tool result (or the refusal). */
export async function callToolOn(
  fetch: (request: Request) => Promise<Response>,
  url: string,
  name: string,
  args: Record<string, unknown> = {},
) {
  const res = await rpc(fetch, url, "tools/call", { name, arguments: args });
  return { ...res, result: res.body?.result as CallToolResult | undefined };
}

/** Calls a tool with a raw POST; returns the tool result (or the refusal). */
export async function callTool(
  world: World,
  url: string,
  name: string,
  args: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const res = await rpc(world.gateway.fetch, url, "tools/call", { name, arguments: args }, headers);
  return { ...res, result: res.body?.result as CallToolResult | undefined };
}

/** The official MCP client connected to a server URL through the in-process gateway. */
export async function mcpClient(
  world: World,
  url: string,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client({ name: "gateway-test", version: "0.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: (input, init) => world.gateway.fetch(new Request(input, init)),
    requestInit: { headers },
  });
  await client.connect(transport);
  return client;
}

export function textOf(result: CallToolResult | undefined): string {
  return (result?.content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("\n");
}
