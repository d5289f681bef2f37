// Audit entries are written after the response, in batches: entries of one turn share one
// transaction, a failed batch is logged (one line) without stopping later ones, reads through
// the admin API see a call answered just before, and closing the gateway writes what is still
// queued or being written before the registry closes.
import { pino } from "pino";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createAuditWriter } from "../src/audit/writer.js";
import { createSqliteRegistry, type Registry } from "../src/index.js";
import type { AuditEntry } from "../src/registry/types.js";
import { callTool, createAccount, createServer, startWorld, type Json } from "./helpers/world.js";

function memoryLogger() {
  const lines: Json[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: "info" }, stream) };
}

const entry = (id: string, serverId = "mcp_1"): AuditEntry => ({
  id,
  at: "2026-06-01T12:00:00.000Z",
  serverId,
  accountId: "acc_1",
  tool: "customers_list",
  status: "ok",
  upstreamStatus: 200,
  latencyMs: 1,
  arguments: null,
});

describe("audit writer", () => {
  it("writes the entries of one turn in one batch, after the turn, in order", async () => {
    const batches: string[][] = [];
    const writer = createAuditWriter(
      { recordCalls: async (entries) => void batches.push(entries.map((e) => e.id)) },
      memoryLogger().logger,
    );
    writer.add([entry("a")]);
    writer.add([entry("b"), entry("c")]);
    expect(batches).toEqual([]); // nothing written during the turn that queued them
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([["a", "b", "c"]]);
    writer.add([entry("d")]);
    await writer.flush();
    expect(batches).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("logs one line for a batch that cannot be written, and writes the next ones", async () => {
    const log = memoryLogger();
    const written: string[] = [];
    let fail = true;
    const writer = createAuditWriter(
      {
        recordCalls: async (entries) => {
          if (fail) throw new Error("disk full at /var/lib/gateway/registry.sqlite");
          written.push(...entries.map((e) => e.id));
        },
      },
      log.logger,
    );
    writer.add([entry("lost1", "mcp_a"), entry("lost2", "mcp_b")]);
    await writer.flush();
    fail = false;
    writer.add([entry("kept")]);
    await writer.flush();
    expect(written).toEqual(["kept"]);
    const errors = log.lines.filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      msg: "audit entries not written",
      entries: 2,
      server_ids: ["mcp_a", "mcp_b"],
    });
    expect(JSON.stringify(errors)).not.toContain("/var/lib");
  });
});

describe("audit through the gateway", () => {
  it("the admin API lists a call answered just before", async () => {
    const world = await startWorld();
    try {
      const accountId = await createAccount(world);
      const server = await createServer(world, accountId);
      expect((await callTool(world, server.url, "customers_list")).result?.isError).toBeFalsy();
      const audit = await world.admin("GET", `/audit?server_id=${server.id}`);
      expect(audit.json.items.map((e: Json) => [e.tool, e.status])).toEqual([
        ["customers_list", "ok"],
      ]);
    } finally {
      await world.close();
    }
  });

  it("close writes the entries still queued or being written before the registry closes", async () => {
    const inner = createSqliteRegistry(":memory:");
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let closed = false;
    // Writes wait at a gate until the test opens it; the registry refuses writes once closed.
    const registry: Registry = {
      ...inner,
      recordCalls: async (entries) => {
        await gate;
        if (closed) throw new Error("registry closed");
        return inner.recordCalls(entries);
      },
      close: async () => {
        closed = true;
      },
    };
    const world = await startWorld({ registry });
    const accountId = await createAccount(world);
    const server = await createServer(world, accountId);
    for (let i = 0; i < 3; i += 1)
      expect((await callTool(world, server.url, "customers_list")).result?.isError).toBeFalsy();

    let done = false;
    const closing = world.gateway.close().then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false); // waiting for the writes
    release();
    await closing;
    expect(closed).toBe(true);
    const written = await inner.listCalls({ serverId: server.id, limit: 10 });
    expect(written.map((e) => e.status)).toEqual(["ok", "ok", "ok"]);
    await inner.close();
    await world.emulator.close();
  });
});
