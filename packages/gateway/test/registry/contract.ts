// The one contract every Registry implementation must meet (STYLE.md: contract suites);
// sqlite.test.ts and postgres.test.ts run it against their engine.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry, Registry, ServerRecord } from "../../src/registry/types.js";

let n = 0;
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${(n += 1)}`;
const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-01T00:00:01.000Z";

function serverFor(accountId: string, overrides: Partial<ServerRecord> = {}): ServerRecord {
  return {
    id: unique("mcp"),
    accountId,
    name: "Claude",
    config: { methods: ["read"], tags: ["customers"] },
    expiresAt: null,
    requireApiTokenAuth: false,
    status: "active",
    tokenHash: unique("hash"),
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function entry(serverId: string, accountId: string, tool: string, at: string): AuditEntry {
  return {
    id: unique("call"),
    at,
    serverId,
    accountId,
    tool,
    status: "ok",
    upstreamStatus: 200,
    latencyMs: 1.5,
    arguments: null,
  };
}

export function registryContract(name: string, open: () => Promise<Registry>): void {
  describe(`Registry contract: ${name}`, () => {
    let registry: Registry;
    let accountId: string;
    beforeEach(async () => {
      registry = await open();
      accountId = unique("acc");
      await registry.createAccount({
        id: accountId,
        name: "Acme",
        environment: "custom",
        baseUrl: "http://127.0.0.1:1",
        credentialCiphertext: "v1.sealed",
        createdAt: T0,
      });
    });
    afterEach(async () => registry.close());

    it("stores and returns accounts", async () => {
      expect(await registry.getAccount(accountId)).toMatchObject({
        name: "Acme",
        environment: "custom",
        credentialCiphertext: "v1.sealed",
      });
      expect((await registry.listAccounts()).map((a) => a.id)).toContain(accountId);
      expect(await registry.getAccount("acc_nope")).toBeUndefined();
    });

    it("round-trips a server, finds it by token hash, lists and updates it", async () => {
      const server = serverFor(accountId, { expiresAt: T1, requireApiTokenAuth: true });
      await registry.createServer(server);
      expect(await registry.getServer(server.id)).toEqual(server);
      expect(await registry.findByTokenHash(server.tokenHash)).toEqual({
        server,
        state: "current",
        tokenHash: server.tokenHash,
      });
      expect((await registry.listServers(accountId)).map((s) => s.id)).toEqual([server.id]);
      const updated = await registry.updateServer(
        server.id,
        {
          name: "Renamed",
          config: { readOnly: true },
          expiresAt: null,
          requireApiTokenAuth: false,
        },
        T1,
      );
      expect(updated).toMatchObject({
        name: "Renamed",
        config: { readOnly: true },
        expiresAt: null,
        requireApiTokenAuth: false,
        updatedAt: T1,
      });
      expect(await registry.updateServer("mcp_nope", { name: "x" }, T1)).toBeUndefined();
    });

    it("rotation retires the old hash, which then resolves as rotated", async () => {
      const server = serverFor(accountId);
      await registry.createServer(server);
      const rotated = await registry.rotateServerToken(server.id, "new-hash-" + server.id, T1);
      expect(rotated?.tokenHash).toBe("new-hash-" + server.id);
      expect((await registry.findByTokenHash(server.tokenHash))?.state).toBe("rotated");
      expect((await registry.findByTokenHash("new-hash-" + server.id))?.state).toBe("current");
      expect(await registry.findByTokenHash("unknown")).toBeUndefined();
    });

    it("deleted servers are not listed; deleting an account deletes its servers and tokens", async () => {
      const a = serverFor(accountId);
      const b = serverFor(accountId);
      await registry.createServer(a);
      await registry.createServer(b);
      await registry.updateServer(a.id, { status: "deleted" }, T1);
      expect((await registry.listServers(accountId)).map((s) => s.id)).toEqual([b.id]);
      await registry.createApiToken({
        id: unique("tok"),
        accountId,
        name: "ci",
        tokenHash: unique("th"),
        createdAt: T0,
      });
      expect(await registry.deleteAccount(accountId, T1)).toBe(true);
      expect(await registry.getAccount(accountId)).toBeUndefined();
      expect((await registry.getServer(b.id))?.status).toBe("deleted");
      expect(await registry.listApiTokens(accountId)).toEqual([]);
      expect(await registry.deleteAccount(accountId, T1)).toBe(false);
    });

    it("keeps API tokens per account", async () => {
      const token = {
        id: unique("tok"),
        accountId,
        name: "ci",
        tokenHash: unique("th"),
        createdAt: T0,
      };
      await registry.createApiToken(token);
      expect(await registry.findApiToken(token.tokenHash)).toEqual(token);
      expect(await registry.listApiTokens(accountId)).toEqual([token]);
      expect(await registry.deleteApiToken(token.id)).toBe(true);
      expect(await registry.findApiToken(token.tokenHash)).toBeUndefined();
      expect(await registry.deleteApiToken(token.id)).toBe(false);
    });

    it("lists audit entries newest first, by server or account, with a limit", async () => {
      const s1 = serverFor(accountId);
      const other = unique("acc");
      const first = entry(s1.id, accountId, "customers_list", T0);
      const second = {
        ...entry(s1.id, accountId, "customers_get", T1),
        status: "denied" as const,
        upstreamStatus: null,
        arguments: "{}",
      };
      const foreign = entry("mcp_other", other, "orders_list", T1);
      await registry.recordCalls([first, second]);
      await registry.recordCalls([foreign]);
      expect(await registry.listCalls({ serverId: s1.id, limit: 10 })).toEqual([second, first]);
      expect(await registry.listCalls({ accountId, limit: 1 })).toEqual([second]);
      expect(await registry.listCalls({ accountId, before: T1, limit: 10 })).toEqual([first]);
      expect(await registry.listCalls({ accountId: other, limit: 10 })).toEqual([foreign]);
    });

    it("writes a batch of audit entries in order, all or none", async () => {
      const server = unique("mcp");
      const batch = Array.from({ length: 700 }, (_, i) =>
        entry(server, accountId, `tool_${i}`, T0),
      );
      await registry.recordCalls(batch);
      await registry.recordCalls([]);
      const listed = await registry.listCalls({ serverId: server, limit: 1000 });
      expect(listed.map((e) => e.tool)).toEqual(batch.map((e) => e.tool).reverse());

      // An id already written makes the whole batch fail: nothing of it is kept.
      const fresh = entry(server, accountId, "fresh", T1);
      await expect(registry.recordCalls([fresh, batch[0]!])).rejects.toThrow();
      expect(await registry.listCalls({ serverId: server, limit: 1 })).toEqual([batch[699]]);
    });

    it("takes amounts per key and window, all or nothing, and prunes old windows", async () => {
      const key = unique("server");
      const take = async (k: string, windowStart: number, amount = 1, limit = 100) =>
        registry.take([{ key: k, windowStart, amount, limit }]);
      expect(await take(key, 1000)).toEqual({ granted: true, counts: [1] });
      expect(await take(key, 1000, 4)).toEqual({ granted: true, counts: [5] });
      expect(await take(key, 2000)).toEqual({ granted: true, counts: [1] });
      // Over one limit: nothing is added to either counter.
      expect(
        await registry.take([
          { key: `${key}-z`, windowStart: 1000, amount: 3, limit: 10 },
          { key, windowStart: 1000, amount: 3, limit: 7 },
        ]),
      ).toEqual({ granted: false, counts: [0, 5] });
      expect(
        await registry.take([
          { key: `${key}-z`, windowStart: 1000, amount: 2, limit: 10 },
          { key, windowStart: 1000, amount: 2, limit: 7 },
        ]),
      ).toEqual({ granted: true, counts: [2, 7] });
      // Amount 0 reads, and is never refused.
      expect(await take(key, 1000, 0, 7)).toEqual({ granted: true, counts: [7] });
      await registry.pruneCounters(2000);
      expect(await take(key, 1000)).toEqual({ granted: true, counts: [1] });
      // Concurrent takes against one limit: exactly the limit is granted, counts stay exact.
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          registry.take([
            { key: `${key}-b`, windowStart: 5, amount: 1, limit: 15 },
            { key: `${key}-a`, windowStart: 5, amount: 1, limit: 50 },
          ]),
        ),
      );
      expect(results.filter((r) => r.granted)).toHaveLength(15);
      const after = await registry.take([
        { key: `${key}-b`, windowStart: 5, amount: 0, limit: 15 },
        { key: `${key}-a`, windowStart: 5, amount: 0, limit: 50 },
      ]);
      expect(after.counts).toEqual([15, 15]);
    });
  });
}
