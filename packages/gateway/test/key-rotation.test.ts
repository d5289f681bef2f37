// Encryption keys that rotate: a keyring (newest first, each ciphertext names its key), a
// clear per-account error when no key fits (the admin list still works, new accounts
// too), and re-encryption under the newest key.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCredentialCipher,
  createGateway,
  parseEncryptionKeys,
  startGateway,
  type Gateway,
} from "../src/index.js";
import { runCli } from "./helpers/cli.js";
import { ADMIN_KEY, adminCall, callToolOn, type Json } from "./helpers/world.js";

const ORIGIN = "http://gateway.test";

// A tool call that must succeed; on failure the message carries what the tool said.
async function expectToolOk(fetch: (request: Request) => Promise<Response>, url: string) {
  const res = await callToolOn(fetch, url, "customers_list");
  expect(
    res.result?.isError,
    `${res.status} ${JSON.stringify(res.body).slice(0, 500)}`,
  ).toBeFalsy();
}
const keyA = randomBytes(32).toString("base64");
const keyB = randomBytes(32).toString("hex");

describe("encryption key rotation", () => {
  const dir = mkdtempSync(join(tmpdir(), "polar-gateway-keys-"));
  const db = join(dir, "gateway.sqlite");
  let emulator: RunningEmulator;
  let oldAccount: string;
  let oldServerUrl: string;

  const open = (env: Record<string, string>) => createGateway({ db, adminKey: ADMIN_KEY, env });
  const admin = (gateway: Gateway, method: string, path: string, body?: unknown) =>
    adminCall(gateway.fetch, ORIGIN, method, path, body);
  const newAccount = async (gateway: Gateway, name: string) => {
    const account = await admin(gateway, "POST", "/accounts", {
      name,
      access_token: emulator.seed!.accessToken,
      base_url: emulator.url,
    });
    expect(account.status).toBe(201);
    const server = await admin(gateway, "POST", `/accounts/${account.json.id}/mcp-servers`, {
      name,
    });
    expect(server.status).toBe(201);
    return { id: account.json.id as string, url: server.json.url as string };
  };

  beforeAll(async () => {
    emulator = await startEmulator({ db: ":memory:", seed: "demo" });
    const first = await open({ POLAR_MCP_ENCRYPTION_KEY: keyA });
    ({ id: oldAccount, url: oldServerUrl } = await newAccount(first, "Old"));
    await expectToolOk(first.fetch, oldServerUrl);
    await first.close();
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("after the key changes: the list still answers, new accounts work, the old account's calls say which key is missing", async () => {
    const gateway = await open({ POLAR_MCP_ENCRYPTION_KEY: keyB });
    try {
      const list = await admin(gateway, "GET", "/accounts");
      expect(list.status).toBe(200);
      const old = list.json.items.find((a: Json) => a.id === oldAccount);
      expect(old.credential_kind).toBeNull();
      expect(old.credential_error.error).toBe("encryption_key_missing");
      const fresh = await newAccount(gateway, "New");
      await expectToolOk(gateway.fetch, fresh.url);
      const refused = await callToolOn(gateway.fetch, oldServerUrl, "customers_list");
      expect(refused.status).toBe(503);
      expect(refused.body.error.data.error).toBe("encryption_key_missing");
      expect(refused.body.error.message).toContain("POLAR_MCP_ENCRYPTION_KEYS");
      expect(JSON.stringify(refused.body)).not.toContain(keyA);
    } finally {
      await gateway.close();
    }
  });

  it("with the old key still on the ring everything works; reencrypt moves every account to the newest key", async () => {
    const ring = await open({ POLAR_MCP_ENCRYPTION_KEYS: `b2026:${keyB},a2025:${keyA}` });
    try {
      await expectToolOk(ring.fetch, oldServerUrl);
      const before = await ring.registry.getAccount(oldAccount);
      expect(before?.credentialCiphertext.startsWith("v2.b2026.")).toBe(false);
      const result = await admin(ring, "POST", "/accounts/reencrypt");
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ key_id: "b2026", failed: [] });
      expect(result.json.reencrypted).toBeGreaterThanOrEqual(1);
      const after = await ring.registry.getAccount(oldAccount);
      expect(after?.credentialCiphertext.startsWith("v2.b2026.")).toBe(true);
      const again = await admin(ring, "POST", "/accounts/reencrypt");
      expect(again.json.reencrypted).toBe(0);
    } finally {
      await ring.close();
    }
    const newest = await open({ POLAR_MCP_ENCRYPTION_KEYS: `b2026:${keyB}` });
    try {
      await expectToolOk(newest.fetch, oldServerUrl);
      const list = await admin(newest, "GET", "/accounts");
      expect(list.json.items.every((a: Json) => a.credential_key_id === "b2026")).toBe(true);
    } finally {
      await newest.close();
    }
  });

  // Three CLI processes: slow on a loaded machine, hence the longer timeout.
  it(
    "`polar-mcp gateway accounts reencrypt` moves them to a newer key through a running gateway",
    { timeout: 120_000 },
    async () => {
      const keyC = randomBytes(32).toString("base64");
      const running = await startGateway({
        port: 0,
        db,
        adminKey: ADMIN_KEY,
        encryptionKeys: `c:${keyC},b2026:${keyB}`,
        env: {},
      });
      try {
        const env = { POLAR_MCP_ADMIN_KEY: ADMIN_KEY };
        const first = await runCli(
          ["gateway", "accounts", "reencrypt", "--url", running.url, "--json"],
          env,
        );
        expect(first.code, first.stderr).toBe(0);
        expect(JSON.parse(first.stdout)).toMatchObject({
          key_id: "c",
          reencrypted: 2,
          unchanged: 0,
        });
        const second = await runCli(
          ["gateway", "accounts", "reencrypt", "--url", running.url],
          env,
        );
        expect(second.stdout).toContain("Key c: 0 re-encrypted, 2 already on it.");
        const listed = await runCli(
          ["gateway", "accounts", "list", "--url", running.url, "--json"],
          env,
        );
        expect(JSON.parse(listed.stdout).map((a: Json) => a.credential_key_id)).toEqual(["c", "c"]);
      } finally {
        await running.close();
      }
    },
  );

  it("parses rings of id:key pairs or bare keys, and refuses duplicates and bad ids", () => {
    const ring = parseEncryptionKeys(`new:${keyB}, ${keyA}`);
    expect(ring.map((k) => k.id)).toEqual(["new", expect.stringMatching(/^k[0-9a-f]{8}$/)]);
    expect(() => parseEncryptionKeys(`a:${keyA},a:${keyB}`)).toThrow(/key id "a" appears twice/);
    expect(() => parseEncryptionKeys(`bad id:${keyA}`)).toThrow(/key ids are letters/);
    const cipher = createCredentialCipher(ring);
    const sealed = cipher.encrypt("polar_oat_x");
    expect(sealed.startsWith("v2.new.")).toBe(true);
    expect(createCredentialCipher(ring.slice(1)).keyIdOf(sealed)).toBe("new");
    expect(() => createCredentialCipher(ring.slice(1)).decrypt(sealed)).toThrow(
      /sealed with key "new"/,
    );
  });
});
