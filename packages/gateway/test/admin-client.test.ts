// The public entry point end to end: startGateway in process on its default SQLite file
// (.polar-gateway.sqlite in the working directory), driven by every method of
// createAdminClient over a real socket.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  API_TOKEN_PREFIX,
  createAdminClient,
  DEFAULT_DB_FILE,
  GatewayHttpError,
  startGateway,
  type AdminClient,
  type RunningGateway,
} from "../src/index.js";
import { ADMIN_KEY, ENCRYPTION_KEY, type Json } from "./helpers/world.js";

describe("createAdminClient against startGateway on the default SQLite file", () => {
  const cwd = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), "polar-gateway-default-"));
  let emulator: RunningEmulator;
  let running: RunningGateway;
  let admin: AdminClient;

  beforeAll(async () => {
    emulator = await startEmulator({ db: ":memory:", seed: "demo" });
    process.chdir(dir);
    running = await startGateway({
      port: 0,
      env: { POLAR_MCP_ADMIN_KEY: ADMIN_KEY, POLAR_MCP_ENCRYPTION_KEY: ENCRYPTION_KEY },
    });
    admin = createAdminClient({ url: running.url, adminKey: ADMIN_KEY });
  });
  afterAll(async () => {
    await running?.close();
    await emulator?.close();
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the registry file in the working directory", () => {
    expect(existsSync(join(dir, DEFAULT_DB_FILE))).toBe(true);
  });

  it("drives accounts, servers, rotation, API tokens and the audit log", async () => {
    const account = await admin.createAccount({
      name: "Acme",
      access_token: emulator.seed!.accessToken,
      base_url: emulator.url,
    });
    expect((await admin.listAccounts()).map((a) => a.id)).toContain(account.id);

    const created = await admin.createServer(String(account.id), {
      name: "Claude",
      config: { tags: ["customers"], read_only: true },
    });
    expect(created.tool_count).toBeGreaterThan(0);
    expect((await admin.listServers(String(account.id))).map((s) => s.id)).toEqual([created.id]);
    const fetched = await admin.getServer(String(created.id));
    expect(fetched).toMatchObject({ id: created.id, status: "active" });
    expect(fetched.url).toBeUndefined();

    const updated = await admin.updateServer(String(created.id), {
      name: "Renamed",
      require_api_token_auth: true,
    });
    expect(updated).toMatchObject({ name: "Renamed", require_api_token_auth: true });

    const token = await admin.createApiToken(String(account.id), "ci");
    expect(String(token.token).startsWith(API_TOKEN_PREFIX)).toBe(true);

    const rotated = await admin.rotateServer(String(created.id));
    expect(rotated.url).not.toBe(created.url);
    const call = async (url: string, headers: Record<string, string> = {}) => {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "customers_list", arguments: { limit: 1 } },
        }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    expect((await call(String(created.url))).status).toBe(410);
    expect((await call(String(rotated.url))).status).toBe(401);
    const ok = await call(String(rotated.url), { authorization: `Bearer ${String(token.token)}` });
    expect(ok.status).toBe(200);
    expect(ok.body.result.isError).toBeFalsy();

    const calls = await admin.listCalls({ server_id: String(created.id), limit: 10 });
    expect(calls.map((e) => e.status)).toEqual(["ok", "unauthorized"]);
    expect(await admin.listCalls({ account_id: String(account.id) })).toHaveLength(2);
    expect((await admin.reencryptAccounts()).unchanged).toBe(1);

    await admin.deleteServer(String(created.id));
    await expect(admin.getServer(String(created.id))).rejects.toMatchObject({
      status: 404,
      code: "mcp_server_not_found",
    });
  });

  it("raises GatewayHttpError with the gateway's status, code and detail, and 503 when unreachable", async () => {
    const error = await admin.createServer("acc_missing", { name: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect(error).toMatchObject({ status: 404, code: "account_not_found" });
    const wrongKey = createAdminClient({ url: running.url, adminKey: "not-the-admin-key-000" });
    await expect(wrongKey.listAccounts()).rejects.toMatchObject({ status: 401 });
    const nowhere = createAdminClient({ url: "http://127.0.0.1:1", adminKey: ADMIN_KEY });
    await expect(nowhere.listAccounts()).rejects.toMatchObject({
      status: 503,
      code: "gateway_unreachable",
    });
  });
});
