// The event loop never waits on the database: a lock held by another connection makes the
// requests that need the database wait asynchronously, then answer 503 with Retry-After,
// while /healthz answers at once; /readyz reports the database; a removed file is a 503.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { startGateway, type RunningGateway } from "../src/index.js";
import { ADMIN_KEY, ENCRYPTION_KEY, adminCall, type Json } from "./helpers/world.js";

describe("SQLite registry under a lock or removed", () => {
  const dir = mkdtempSync(join(tmpdir(), "polar-gateway-lock-"));
  const file = join(dir, "gateway.sqlite");
  let emulator: RunningEmulator;
  let running: RunningGateway;
  let serverUrl: string;
  const call = () =>
    fetch(serverUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "customers_list", arguments: { limit: 1 } },
      }),
    });

  beforeAll(async () => {
    emulator = await startEmulator({ db: ":memory:", seed: "demo" });
    running = await startGateway({
      port: 0,
      db: file,
      adminKey: ADMIN_KEY,
      encryptionKey: ENCRYPTION_KEY,
      databaseLockWaitMs: 3_000,
      env: {},
    });
    const admin = (method: string, path: string, body?: unknown) =>
      adminCall((r) => fetch(r), running.url, method, path, body);
    const account = await admin("POST", "/accounts", {
      name: "Acme",
      access_token: emulator.seed!.accessToken,
      base_url: emulator.url,
    });
    const server = await admin("POST", `/accounts/${account.json.id}/mcp-servers`, { name: "c" });
    serverUrl = server.json.url;
    expect((await call()).status).toBe(200);
  });
  afterAll(async () => {
    await running?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers /healthz at once while a tool call waits on a lock, then 503 + Retry-After; readiness says why", async () => {
    const other = new Database(file);
    other.exec("BEGIN EXCLUSIVE");
    try {
      let settled = false;
      const pending = call().then(async (r) => {
        settled = true;
        return {
          status: r.status,
          retryAfter: r.headers.get("retry-after"),
          body: (await r.json()) as Json,
        };
      });
      // Liveness keeps answering for as long as the call waits (a synchronous wait on the
      // lock would freeze this whole process, the client loop included).
      let answered = 0;
      while (!settled) {
        const health = await fetch(`${running.url}/healthz`);
        expect(health.status).toBe(200);
        if (!settled) answered += 1;
      }
      expect(answered).toBeGreaterThanOrEqual(20);
      const refused = await pending;
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toBe("1");
      expect(refused.body.error.data.error).toBe("database_busy");
      expect(refused.body.error.message).toContain("locked by another process");
      const ready = await fetch(`${running.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as Json).error).toBe("database_busy");
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    expect((await call()).status).toBe(200);
  });

  it("a call that meets a short lock waits for it and succeeds", async () => {
    const other = new Database(file);
    other.exec("BEGIN EXCLUSIVE");
    const pending = call();
    // Released once the loop has answered another request: the call is still waiting then.
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    other.exec("ROLLBACK");
    other.close();
    expect((await pending).status).toBe(200);
  });

  it("answers 503 once the file is removed; /healthz stays 200", async () => {
    rmSync(file);
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as Json).error).toBe("database_unavailable");
    const refused = await call();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("30");
    const admin = await adminCall((r) => fetch(r), running.url, "GET", "/accounts");
    expect(admin.status).toBe(503);
    expect(JSON.stringify(admin.json)).not.toContain(dir);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });
});
