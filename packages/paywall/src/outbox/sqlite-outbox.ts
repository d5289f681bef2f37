import type { Costs } from "../ledger/ledger.js";
import type { UsageEvent } from "../provider/result.js";
import type { SqliteDatabase, SqliteStatement, SqliteConstructor } from "./native-sqlite.js";
import type { Outbox, OutboxAppend, OutboxEntry } from "./outbox.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,
  external_id TEXT NOT NULL UNIQUE,
  customer_id TEXT NOT NULL,
  name TEXT NOT NULL,
  metadata TEXT NOT NULL,
  costs TEXT NOT NULL,
  license_key TEXT,
  key_account TEXT,
  event_acked INTEGER NOT NULL DEFAULT 0,
  dead INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_live ON outbox (scope, dead, seq);
`;

interface Row {
  seq: number;
  external_id: string;
  customer_id: string;
  name: string;
  metadata: string;
  costs: string;
  license_key: string | null;
  key_account: string | null;
  event_acked: number;
  attempts: number;
}

const toEntry = (row: Row): OutboxEntry => ({
  seq: row.seq,
  externalId: row.external_id,
  customerId: row.customer_id,
  event: { name: row.name, metadata: JSON.parse(row.metadata) as UsageEvent["metadata"] & {} },
  costs: JSON.parse(row.costs) as Costs,
  licenseKey:
    row.license_key && row.key_account ? { key: row.license_key, account: row.key_account } : null,
  eventAcked: row.event_acked === 1,
  attempts: row.attempts,
});

/**
 * The durable outbox: a SQLite file in WAL mode. An append is one prepared INSERT in its
 * own transaction, so once `append` returns the call's usage survives a kill -9 (WAL with
 * `synchronous=NORMAL` loses nothing on a process crash; `durability: "power-loss"` also
 * syncs each commit to disk). Rows are deleted once Polar acknowledged them.
 */
export class SqliteOutbox implements Outbox {
  readonly durable = true;
  private readonly db: SqliteDatabase;
  private readonly insert: SqliteStatement;
  private readonly selectBatch: SqliteStatement;
  private readonly countLive: SqliteStatement;
  private readonly deleteRow: SqliteStatement;
  private readonly markEventAcked: SqliteStatement;
  private readonly markDead: SqliteStatement;
  private readonly bumpAttempts: SqliteStatement;
  private queued: { entry: OutboxAppend; resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(
    Database: SqliteConstructor,
    readonly path: string,
    private readonly scope: string,
    durability: "process-crash" | "power-loss" = "process-crash",
  ) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma(`synchronous = ${durability === "power-loss" ? "FULL" : "NORMAL"}`);
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare(
      `INSERT INTO outbox (scope, external_id, customer_id, name, metadata, costs, license_key, key_account, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectBatch = this.db.prepare(
      "SELECT * FROM outbox WHERE scope = ? AND dead = 0 AND seq > ? ORDER BY seq LIMIT ?",
    );
    this.countLive = this.db.prepare(
      "SELECT COUNT(*) AS n FROM outbox WHERE scope = ? AND dead = 0",
    );
    this.deleteRow = this.db.prepare("DELETE FROM outbox WHERE seq = ?");
    this.markEventAcked = this.db.prepare("UPDATE outbox SET event_acked = 1 WHERE seq = ?");
    this.markDead = this.db.prepare("UPDATE outbox SET dead = 1 WHERE seq = ?");
    this.bumpAttempts = this.db.prepare("UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?");
  }

  /**
   * Durably records one accepted call, committed together with the other calls of this
   * turn of the event loop (group commit: one WAL append for many calls). Resolves once
   * the row is on disk; acknowledge the call only then.
   */
  enqueue(entry: OutboxAppend): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ entry, resolve, reject });
      if (this.queued.length === 1) setImmediate(() => this.drain());
    });
  }

  private drain(): void {
    const queued = this.queued;
    this.queued = [];
    try {
      this.db.transaction(() => {
        for (const { entry } of queued) this.insertRow(entry);
      })();
    } catch (error) {
      for (const { reject } of queued) reject(error);
      return;
    }
    for (const { resolve } of queued) resolve();
  }

  private insertRow(entry: OutboxAppend): void {
    this.insert.run(
      this.scope,
      entry.externalId,
      entry.customerId,
      entry.event.name,
      JSON.stringify(entry.event.metadata ?? {}),
      JSON.stringify(entry.costs),
      entry.licenseKey?.key ?? null,
      entry.licenseKey?.account ?? null,
      Date.now(),
    );
  }

  /** Up to `limit` live entries after `afterSeq`, oldest first. */
  batch(limit: number, afterSeq = 0): OutboxEntry[] {
    return (this.selectBatch.all(this.scope, afterSeq, limit) as Row[]).map(toEntry);
  }

  /** Every live entry (startup: their units are pending in the ledger). */
  *all(): Generator<OutboxEntry> {
    let after = 0;
    for (;;) {
      const rows = this.batch(1000, after);
      if (rows.length === 0) return;
      yield* rows;
      after = rows[rows.length - 1]!.seq;
    }
  }

  size(): number {
    return (this.countLive.get(this.scope) as { n: number }).n;
  }

  /** Events Polar acknowledged: rows are done, or wait for their key's usage increment. */
  eventsAcked(entries: readonly OutboxEntry[]): void {
    this.db.transaction(() => {
      for (const entry of entries) {
        if (entry.licenseKey) this.markEventAcked.run(entry.seq);
        else this.deleteRow.run(entry.seq);
      }
    })();
  }

  /** Rows whose key usage increment Polar acknowledged. */
  done(entries: readonly OutboxEntry[]): void {
    this.db.transaction(() => {
      for (const entry of entries) this.deleteRow.run(entry.seq);
    })();
  }

  /** Rows Polar rejects for good (e.g. the customer was deleted): kept, never resent. */
  dead(entries: readonly OutboxEntry[]): void {
    this.db.transaction(() => {
      for (const entry of entries) this.markDead.run(entry.seq);
    })();
  }

  attempted(entries: readonly OutboxEntry[]): void {
    this.db.transaction(() => {
      for (const entry of entries) this.bumpAttempts.run(entry.seq);
    })();
  }

  close(): void {
    if (this.queued.length > 0) this.drain();
    if (this.db.open) this.db.close();
  }
}
