import type { Statement } from "better-sqlite3";
import { randomBytes } from "node:crypto";
import type { EmulatorContext } from "../../context.js";
import type { Sqlite } from "../../store/database.js";

/**
 * Events and their links to meters live in real tables, not JSON documents: ingestion
 * inserts thousands per second and quantities aggregate millions, which needs typed,
 * indexed columns.
 *
 * `customer_ref` folds Polar's two ways of naming a customer into one indexed column:
 * `id:<customer_id>` or `ext:<external_customer_id>`. A customer's events are then
 * `customer_ref IN ('id:…', 'ext:…')`, which also counts events sent with an external id
 * before the customer existed (Polar links them at read time, and so do we).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS usage_events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  ingested_at INTEGER NOT NULL,
  customer_id TEXT,
  external_customer_id TEXT,
  customer_ref TEXT,
  member_id TEXT,
  external_member_id TEXT,
  external_id TEXT,
  parent_id TEXT,
  metadata TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS usage_events_external_id
  ON usage_events (organization_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS usage_events_by_time ON usage_events (organization_id, timestamp);
CREATE INDEX IF NOT EXISTS usage_events_by_customer
  ON usage_events (organization_id, customer_ref, timestamp);
CREATE INDEX IF NOT EXISTS usage_events_by_parent ON usage_events (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS meter_events (
  meter_id TEXT NOT NULL,
  customer_ref TEXT,
  kind INTEGER NOT NULL,
  event_seq INTEGER NOT NULL,
  timestamp INTEGER NOT NULL,
  value,
  PRIMARY KEY (meter_id, customer_ref, kind, event_seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS meter_events_by_time
  ON meter_events (meter_id, kind, timestamp, value, customer_ref);

CREATE TABLE IF NOT EXISTS customer_meters (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  meter_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (customer_id, meter_id)
);
`;

/** What a meter_events row stands for: usage counted by the meter, or a system event on it. */
export const METER_EVENT_KIND = { usage: 0, credit: 1, reset: 2 } as const;

/** One stored event, as its row. Times are epoch milliseconds. */
export interface EventRow {
  seq: number;
  id: string;
  organization_id: string;
  name: string;
  source: "user" | "system";
  timestamp: number;
  ingested_at: number;
  customer_id: string | null;
  external_customer_id: string | null;
  customer_ref: string | null;
  member_id: string | null;
  external_member_id: string | null;
  external_id: string | null;
  parent_id: string | null;
  metadata: string;
}

const SALT = randomBytes(4).toString("hex");

/**
 * Event ids are UUID4-shaped and carry their row's seq in the last 12 hex digits (the rest
 * random): lookups by id are rowid lookups, and ingestion skips a random-key index insert
 * per event, its largest cost after the row itself.
 */
export function eventIdOf(seq: number): string {
  const random = randomBytes(5).toString("hex");
  const variant = "89ab"[seq % 4] ?? "8";
  const tail = seq.toString(16).padStart(12, "0");
  return `${SALT}-${random.slice(0, 4)}-4${random.slice(4, 7)}-${variant}${random.slice(7, 10)}-${tail}`;
}

function seqOfEventId(id: string): number | undefined {
  const hex = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-([0-9a-f]{12})$/i.exec(
    id,
  )?.[1];
  return hex === undefined ? undefined : parseInt(hex, 16);
}

export const refOfCustomerId = (id: string): string => `id:${id}`;
export const refOfExternalId = (externalId: string): string => `ext:${externalId}`;

/** The prepared statements of the usage tables, created once per database. */
export class UsageTables {
  readonly insertEvent: Statement;
  readonly insertMeterEvent: Statement;
  private readonly bySeq: Statement;
  private readonly maxSeq: Statement;
  readonly eventIdByExternalId: Statement;

  constructor(readonly db: Sqlite) {
    db.exec(SCHEMA);
    this.insertEvent = db.prepare(
      `INSERT OR IGNORE INTO usage_events (seq, id, organization_id, name, source, timestamp, ingested_at,
         customer_id, external_customer_id, customer_ref, member_id, external_member_id,
         external_id, parent_id, metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMeterEvent = db.prepare(
      `INSERT OR IGNORE INTO meter_events (meter_id, customer_ref, kind, event_seq, timestamp, value)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.bySeq = db.prepare("SELECT * FROM usage_events WHERE seq = ? AND id = ?");
    this.maxSeq = db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM usage_events");
    this.eventIdByExternalId = db.prepare(
      "SELECT id FROM usage_events WHERE organization_id = ? AND external_id = ?",
    );
  }

  /**
   * The next free seq. Ids are allotted from it before inserting (see `eventIdOf`); callers
   * run synchronously, so nothing can take a seq in between.
   */
  nextSeq(): number {
    return (this.maxSeq.get() as { seq: number }).seq + 1;
  }

  /** An event by id: the id names its row, so no index on ids is needed. */
  eventById(id: string): EventRow | undefined {
    const seq = seqOfEventId(id);
    return seq === undefined ? undefined : (this.bySeq.get(seq, id) as EventRow | undefined);
  }

  /** Inserts one event; returns its seq, or undefined when its external_id was already taken. */
  insert(row: EventRow): number | undefined {
    // Positional parameters: measurably faster than named ones on the ingestion hot path.
    const result = this.insertEvent.run(
      row.seq,
      row.id,
      row.organization_id,
      row.name,
      row.source,
      row.timestamp,
      row.ingested_at,
      row.customer_id,
      row.external_customer_id,
      row.customer_ref,
      row.member_id,
      row.external_member_id,
      row.external_id,
      row.parent_id,
      row.metadata,
    );
    return result.changes === 0 ? undefined : Number(result.lastInsertRowid);
  }

  /** Empties the usage tables (the control plane's reset). */
  clear(): void {
    this.db.exec(
      "DELETE FROM usage_events; DELETE FROM meter_events; DELETE FROM customer_meters;",
    );
  }
}

const TABLES = new WeakMap<Sqlite, UsageTables>();

/** The usage tables of this emulator's database (created on first use). */
export function usageTables(ctx: EmulatorContext): UsageTables {
  let tables = TABLES.get(ctx.store.db);
  if (!tables) {
    tables = new UsageTables(ctx.store.db);
    TABLES.set(ctx.store.db, tables);
  }
  return tables;
}
