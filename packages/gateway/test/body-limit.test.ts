// Body limits over a real socket: a body announced by Content-Length over the limit is
// refused from the header alone, a chunked one while it is read; both answer 413 with a
// JSON-RPC error, and a normal call still works (its body read by the direct path).
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type RunningGateway } from "../src/index.js";
import { MAX_MCP_BODY_BYTES } from "../src/http/middleware.js";
import { ADMIN_KEY, adminCall, ENCRYPTION_KEY, type Json } from "./helpers/world.js";

let emulator: RunningEmulator;
let gateway: RunningGateway;
let url: string;
const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};
const callBody = (q: string) =>
  JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: "customers_list", arguments: { limit: 1, query: q } },
  });

beforeAll(async () => {
  emulator = await startEmulator({ db: ":memory:", seed: "demo" });
  gateway = await startGateway({
    port: 0,
    db: ":memory:",
    adminKey: ADMIN_KEY,
    encryptionKey: ENCRYPTION_KEY,
    env: {},
  });
  const admin = (method: string, path: string, body?: unknown) =>
    adminCall((r) => fetch(r), gateway.url, method, path, body);
  const account = await admin("POST", "/accounts", {
    name: "Acme",
    access_token: emulator.seed!.accessToken,
    base_url: emulator.url,
  });
  url = (await admin("POST", `/accounts/${account.json.id}/mcp-servers`, { name: "c" })).json.url;
});
afterAll(async () => {
  await gateway?.close();
  await emulator?.close();
});

describe("MCP body limit over a socket", () => {
  it("a body within the limit is served", async () => {
    const res = await fetch(url, { method: "POST", headers: HEADERS, body: callBody("a") });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).result.isError).toBeFalsy();
  });

  it("refuses a Content-Length over the limit with 413", async () => {
    const body = callBody("x".repeat(MAX_MCP_BODY_BYTES));
    const res = await fetch(url, { method: "POST", headers: HEADERS, body });
    expect(res.status).toBe(413);
    expect(((await res.json()) as Json).error.message).toContain(`${MAX_MCP_BODY_BYTES} bytes`);
  });

  it("refuses a chunked body over the limit with 413", async () => {
    const chunk = new TextEncoder().encode("x".repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(url, {
      method: "POST",
      headers: HEADERS,
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });
});
