import type { Statement } from "better-sqlite3";
import type { EmulatorContext } from "../../context.js";
import type { Sqlite } from "../../store/database.js";
import { customerByExternalId } from "../events/customers.js";
import type { EventRow } from "../events/table.js";
import { usageTables } from "../events/table.js";

/**
 * Polar recomputes a customer's meters in `customer_meter.update_customer`, a job debounced
 * per customer: each ingestion for the customer (re)schedules it 15 s later
 * (`CUSTOMER_METER_UPDATE_DEBOUNCE_MIN_THRESHOLD`), and only the last one runs, unless the
 * first pending one waited 180 min (`…_MAX_THRESHOLD`). Until it runs, customer meters and
 * customer state count usage as of the previous run. The emulator keeps that schedule per
 * customer on its clock: code that trusts a balance read right after ingestion sees the
 * stale balance it would see in production. `instantBalances: true` turns it off.
 */
export const DEBOUNCE_MS = 15_000;
export const MAX_DEBOUNCE_MS = 180 * 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meter_recompute (
  key TEXT PRIMARY KEY,
  visible_seq INTEGER NOT NULL,
  first_pending_at INTEGER,
  last_ingest_at INTEGER
);
`;

interface RecomputeRow {
  key: string;
  visible_seq: number;
  first_pending_at: number | null;
  last_ingest_at: number | null;
}

const due = (row: RecomputeRow): number =>
  Math.min((row.last_ingest_at ?? 0) + DEBOUNCE_MS, (row.first_pending_at ?? 0) + MAX_DEBOUNCE_MS);

class RecomputeSchedule {
  private readonly get: Statement;
  private readonly put: Statement;

  constructor(private readonly db: Sqlite) {
    db.exec(SCHEMA);
    this.get = db.prepare("SELECT * FROM meter_recompute WHERE key = ?");
    this.put = db.prepare(
      `INSERT OR REPLACE INTO meter_recompute (key, visible_seq, first_pending_at, last_ingest_at)
       VALUES (?, ?, ?, ?)`,
    );
  }

  /** Events up to `beforeSeq` exist; a batch for `key` arrives at `now`: the job is rescheduled. */
  ingested(key: string, beforeSeq: number, now: number): void {
    const row = this.get.get(key) as RecomputeRow | undefined;
    if (!row) {
      this.put.run(key, beforeSeq, now, now);
      return;
    }
    // A pending run that fell due before this batch ran then, over everything before it.
    const ran = row.first_pending_at !== null && now >= due(row);
    const visible = row.first_pending_at === null || ran ? beforeSeq : row.visible_seq;
    const firstPending = row.first_pending_at === null || ran ? now : row.first_pending_at;
    this.put.run(key, visible, firstPending, now);
  }

  /** The newest usage seq the keys' customer meters count now, or undefined for all of it. */
  visibleSeq(keys: readonly string[], now: number): number | undefined {
    let cutoff: number | undefined;
    for (const key of keys) {
      const row = this.get.get(key) as RecomputeRow | undefined;
      if (!row || row.first_pending_at === null || now >= due(row)) continue;
      cutoff = cutoff === undefined ? row.visible_seq : Math.min(cutoff, row.visible_seq);
    }
    return cutoff;
  }

  /**
   * `visibleSeq` for many customers at one moment: the schedule read once, as a lookup (a
   * list of customer meters asks for every customer of the organization).
   */
  snapshot(now: number): (keys: readonly string[]) => number | undefined {
    const rows = new Map<string, RecomputeRow>();
    for (const row of this.db
      .prepare("SELECT * FROM meter_recompute")
      .iterate() as Iterable<RecomputeRow>)
      rows.set(row.key, row);
    return (keys) => {
      let cutoff: number | undefined;
      for (const key of keys) {
        const row = rows.get(key);
        if (!row || row.first_pending_at === null || now >= due(row)) continue;
        cutoff = cutoff === undefined ? row.visible_seq : Math.min(cutoff, row.visible_seq);
      }
      return cutoff;
    };
  }

  clear(): void {
    this.db.exec("DELETE FROM meter_recompute");
  }
}

const SCHEDULES = new WeakMap<Sqlite, RecomputeSchedule>();
const INSTANT = new WeakSet<EmulatorContext>();

/** `instantBalances: true`: balances count every event as soon as ingestion returns. */
export function useInstantBalances(ctx: EmulatorContext): void {
  INSTANT.add(ctx);
}

export function recomputeSchedule(ctx: EmulatorContext): RecomputeSchedule {
  let schedule = SCHEDULES.get(ctx.store.db);
  if (!schedule) {
    usageTables(ctx);
    schedule = new RecomputeSchedule(ctx.store.db);
    SCHEDULES.set(ctx.store.db, schedule);
  }
  return schedule;
}

/**
 * After an ingestion: reschedules the recompute of every customer the inserted events are
 * for (by customer id; an external id of a customer that exists counts as that customer).
 */
export function scheduleRecompute(
  ctx: EmulatorContext,
  organizationId: string,
  rows: readonly EventRow[],
  inserted: readonly boolean[],
): void {
  if (INSTANT.has(ctx) || rows.length === 0) return;
  const firstSeq = (rows[0] as EventRow).seq;
  const now = ctx.clock.now().getTime();
  const keys = new Set<string>();
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    if (!inserted[i]) continue;
    const row = rows[i] as EventRow;
    const ref = row.customer_ref;
    if (ref === null || seen.has(ref)) continue;
    seen.add(ref);
    if (row.customer_id !== null) keys.add(row.customer_id);
    else if (row.external_customer_id !== null) {
      const customer = customerByExternalId(ctx, organizationId, row.external_customer_id);
      keys.add(customer ? customer.id : ref);
    }
  }
  const schedule = recomputeSchedule(ctx);
  for (const key of keys) schedule.ingested(key, firstSeq - 1, now);
}

const keysOfCustomer = (customer: { id: string; external_id?: string | null }) =>
  customer.external_id ? [customer.id, `ext:${customer.external_id}`] : [customer.id];

/** `recomputedSeq` for many customers now, reading the schedule once. */
export function recomputedSeqs(
  ctx: EmulatorContext,
): (customer: { id: string; external_id?: string | null }) => number | undefined {
  if (INSTANT.has(ctx)) return () => undefined;
  const lookup = recomputeSchedule(ctx).snapshot(ctx.clock.now().getTime());
  return (customer) => lookup(keysOfCustomer(customer));
}

/** The newest usage seq a customer's meters count now (undefined: all of it). */
export function recomputedSeq(
  ctx: EmulatorContext,
  customer: { id: string; external_id?: string | null },
): number | undefined {
  if (INSTANT.has(ctx)) return undefined;
  return recomputeSchedule(ctx).visibleSeq(keysOfCustomer(customer), ctx.clock.now().getTime());
}
