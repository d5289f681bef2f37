import type { Statement } from "better-sqlite3";
import { randomBytes, randomFillSync } from "node:crypto";
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

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
/** Random bytes drawn in bulk: one `randomBytes` call per id cost more than the id's row. */
const POOL = Buffer.alloc(5 * 1024);
let poolAt = POOL.length;

/**
 * Event ids are UUID4-shaped and carry their row's seq in the last 12 hex digits (the rest
 * random): lookups by id are rowid lookups, and ingestion skips a random-key index insert
 * per event, its largest cost after the row itself.
 */
export function eventIdOf(seq: number): string {
  if (poolAt === POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const b = POOL;
  const i = poolAt;
  poolAt += 5;
  const random =
    HEX[b[i]!]! + HEX[b[i + 1]!]! + HEX[b[i + 2]!]! + HEX[b[i + 3]!]! + HEX[b[i + 4]!]!;
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

const EVENT_COLUMNS = `(seq, id, organization_id, name, source, timestamp, ingested_at,
  customer_id, external_customer_id, customer_ref, member_id, external_member_id,
  external_id, parent_id, metadata)`;
const LINK_COLUMNS = "(meter_id, customer_ref, kind, event_seq, timestamp, value)";
/** Rows per multi-row INSERT (SQLite binds at most 32,766 parameters). */
const CHUNK = 50;
const placeholders = (rows: number, columns: number) =>
  Array.from(
    { length: rows },
    () => `(${Array.from({ length: columns }, () => "?").join(", ")})`,
  ).join(", ");

/** A meter link row: meter_id, customer_ref, kind, event_seq, timestamp, value. */
export type MeterLink = [string, string | null, number, number, number, number | string | null];

/** The prepared statements of the usage tables, created once per database. */
export class UsageTables {
  readonly insertEvent: Statement;
  readonly insertMeterEvent: Statement;
  /** CHUNK rows per statement: one statement per row costs more than the row. */
  private readonly insertEvents: Statement;
  private readonly insertMeterEvents: Statement;
  private readonly bySeq: Statement;
  private readonly maxSeq: Statement;
  readonly eventIdByExternalId: Statement;

  constructor(readonly db: Sqlite) {
    db.exec(SCHEMA);
    this.insertEvent = db.prepare(
      `INSERT OR IGNORE INTO usage_events ${EVENT_COLUMNS} VALUES ${placeholders(1, 15)}`,
    );
    this.insertEvents = db.prepare(
      `INSERT OR IGNORE INTO usage_events ${EVENT_COLUMNS} VALUES ${placeholders(CHUNK, 15)}`,
    );
    this.insertMeterEvent = db.prepare(
      `INSERT OR IGNORE INTO meter_events ${LINK_COLUMNS} VALUES ${placeholders(1, 6)}`,
    );
    this.insertMeterEvents = db.prepare(
      `INSERT OR IGNORE INTO meter_events ${LINK_COLUMNS} VALUES ${placeholders(CHUNK, 6)}`,
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

  /**
   * Inserts events as `insert` would one by one, CHUNK rows per statement (`OR IGNORE`
   * skips a row exactly as it does alone); returns whether each was inserted (false: its
   * external_id, or its seq, was already taken). Run it inside a transaction.
   */
  insertAll(rows: readonly EventRow[]): boolean[] {
    const inserted = new Array<boolean>(rows.length);
    const params: unknown[] = new Array<unknown>(CHUNK * 15);
    let i = 0;
    for (; i + CHUNK <= rows.length; i += CHUNK) {
      let p = 0;
      for (let j = i; j < i + CHUNK; j++) {
        const row = rows[j] as EventRow;
        params[p++] = row.seq;
        params[p++] = row.id;
        params[p++] = row.organization_id;
        params[p++] = row.name;
        params[p++] = row.source;
        params[p++] = row.timestamp;
        params[p++] = row.ingested_at;
        params[p++] = row.customer_id;
        params[p++] = row.external_customer_id;
        params[p++] = row.customer_ref;
        params[p++] = row.member_id;
        params[p++] = row.external_member_id;
        params[p++] = row.external_id;
        params[p++] = row.parent_id;
        params[p++] = row.metadata;
      }
      // All rows landed (the common case), or some were ignored: those ids are not stored.
      const all = this.insertEvents.run(params).changes === CHUNK;
      for (let j = i; j < i + CHUNK; j++) {
        const row = rows[j] as EventRow;
        inserted[j] = all || this.bySeq.get(row.seq, row.id) !== undefined;
      }
    }
    for (; i < rows.length; i++) inserted[i] = this.insert(rows[i] as EventRow) !== undefined;
    return inserted;
  }

  /** Inserts meter links (existing ones are kept), CHUNK per statement. */
  insertLinks(links: readonly MeterLink[]): void {
    const params: unknown[] = new Array<unknown>(CHUNK * 6);
    let i = 0;
    for (; i + CHUNK <= links.length; i += CHUNK) {
      let p = 0;
      for (let j = i; j < i + CHUNK; j++) {
        const link = links[j] as MeterLink;
        for (let k = 0; k < 6; k++) params[p++] = link[k];
      }
      this.insertMeterEvents.run(params);
    }
    for (; i < links.length; i++) this.insertMeterEvent.run(links[i] as MeterLink);
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
