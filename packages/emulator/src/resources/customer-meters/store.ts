import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import {
  customerByExternalId,
  customerById,
  refsOfCustomer,
  type CustomerLike,
} from "../events/customers.js";
import { meters, type MeterRecord } from "../meters/store.js";
import { visibleEventSeq } from "../../http/simulation.js";
import type { Collection } from "../../store/collection.js";
import { customers, type CustomerRecord } from "../customers/store.js";
import { METER_EVENT_KIND } from "../events/table.js";
import { meterBalance, type MeterBalance } from "./balance.js";
import { recomputedSeqs } from "./debounce.js";

/** A customer meter: a (customer, meter) pair with a stable id, and its live balance. */
export interface CustomerMeterView extends MeterBalance {
  id: string;
  created_at: string;
  modified_at: string | null;
  customer: CustomerLike;
  meter: MeterRecord;
}

/**
 * The id of a (customer, meter) pair, created the first time it is read: Polar creates its
 * customer meter rows in a background job when usage or credits arrive, so the moment of
 * creation is not observable anyway.
 */
function pairRow(
  ctx: EmulatorContext,
  customer: CustomerLike,
  meter: MeterRecord,
): { id: string; created_at: string } {
  const db = ctx.store.db;
  db.prepare(
    `INSERT OR IGNORE INTO customer_meters (id, organization_id, customer_id, meter_id, created_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(newId(), customer.organization_id, customer.id, meter.id, iso(ctx.clock.now()));
  return db
    .prepare("SELECT id, created_at FROM customer_meters WHERE customer_id = ? AND meter_id = ?")
    .get(customer.id, meter.id) as { id: string; created_at: string };
}

function view(ctx: EmulatorContext, customer: CustomerLike, meter: MeterRecord): CustomerMeterView {
  const row = pairRow(ctx, customer, meter);
  const balance = meterBalance(ctx, meter, customer);
  const ingested =
    balance.last_seq === 0
      ? undefined
      : (
          ctx.store.db
            .prepare("SELECT ingested_at FROM usage_events WHERE seq = ?")
            .get(balance.last_seq) as { ingested_at: number } | undefined
        )?.ingested_at;
  return {
    ...balance,
    id: row.id,
    created_at: row.created_at,
    modified_at: ingested === undefined ? null : new Date(ingested).toISOString(),
    customer,
    meter,
  };
}

/** Whether the customer has any usage, credit or reset on the meter. */
function touches(ctx: EmulatorContext, meter: MeterRecord, customer: CustomerLike): boolean {
  const refs = refsOfCustomer(customer);
  return (
    ctx.store.db
      .prepare(
        `SELECT 1 FROM meter_events WHERE meter_id = ? AND customer_ref IN (${refs.map(() => "?").join(", ")}) LIMIT 1`,
      )
      .get(meter.id, ...refs) !== undefined
  );
}

/** The customer's meters (archived meters included unless `activeOnly`). */
export function customerMetersOf(
  ctx: EmulatorContext,
  customer: CustomerLike,
  activeOnly: boolean,
): CustomerMeterView[] {
  return meters(ctx)
    .byOrganization(customer.organization_id)
    .filter((m) => !activeOnly || m.archived_at === null)
    .filter((m) => touches(ctx, m, customer))
    .map((m) => view(ctx, customer, m));
}

/**
 * A (customer, meter) pair that has a customer meter, before its balance is computed: the
 * newest stored seq of each event kind under each of the customer's refs (one grouped read
 * of the meter's primary-key range), enough to know when it was last modified.
 */
export interface CustomerMeterPair {
  customer: CustomerLike;
  meter: MeterRecord;
  newest: { ref: string; kind: number; seq: number }[];
}

/**
 * Every customer meter of the organization (each customer with events or credits on a
 * meter), in a stable order (meters, then customer refs), without computing any balance: a
 * list builds views only for the page it returns. Ids are given to new pairs here, as a
 * list has always done (Polar creates its rows in a background job, unobservably).
 */
export function organizationMeterPairs(
  ctx: EmulatorContext,
  organizationId: string,
): CustomerMeterPair[] {
  const db = ctx.store.db;
  const newest = db.prepare(
    `SELECT customer_ref AS ref, kind, MAX(event_seq) AS seq FROM meter_events
     WHERE meter_id = ? AND customer_ref IS NOT NULL GROUP BY customer_ref, kind`,
  );
  const resolve = customerOfRef(ctx, organizationId);
  const out: CustomerMeterPair[] = [];
  for (const meter of meters(ctx).byOrganization(organizationId)) {
    const pairs = new Map<string, CustomerMeterPair>();
    for (const row of newest.iterate(meter.id) as Iterable<{
      ref: string;
      kind: number;
      seq: number;
    }>) {
      const customer = resolve(row.ref);
      if (!customer) continue;
      let pair = pairs.get(customer.id);
      if (!pair) {
        pair = { customer, meter, newest: [] };
        pairs.set(customer.id, pair);
        out.push(pair);
      }
      pair.newest.push(row);
    }
  }
  ensurePairRows(ctx, organizationId, out);
  return out;
}

/** Customers by event ref, kept until the customers collection is next written (or reset). */
const RESOLVED = new WeakMap<
  Collection<CustomerRecord>,
  { version: number; byRef: Map<string, CustomerLike | undefined> }
>();

function customerOfRef(
  ctx: EmulatorContext,
  organizationId: string,
): (ref: string) => CustomerLike | undefined {
  const collection = customers(ctx);
  let cache = RESOLVED.get(collection);
  if (!cache || cache.version !== collection.version) {
    cache = { version: collection.version, byRef: new Map() };
    RESOLVED.set(collection, cache);
  }
  const { byRef } = cache;
  return (ref) => {
    const key = `${organizationId} ${ref}`;
    if (!byRef.has(key))
      byRef.set(
        key,
        ref.startsWith("id:")
          ? customerById(ctx, organizationId, ref.slice(3))
          : customerByExternalId(ctx, organizationId, ref.slice(4)),
      );
    return byRef.get(key);
  };
}

/** Gives an id to every pair that has none yet, in the pairs' order, in one transaction. */
function ensurePairRows(
  ctx: EmulatorContext,
  organizationId: string,
  pairs: readonly CustomerMeterPair[],
): void {
  const db = ctx.store.db;
  const known = new Set(
    db
      .prepare(
        "SELECT customer_id || ' ' || meter_id FROM customer_meters WHERE organization_id = ?",
      )
      .pluck()
      .all(organizationId) as string[],
  );
  const missing = pairs.filter((p) => !known.has(`${p.customer.id} ${p.meter.id}`));
  if (missing.length === 0) return;
  const insert = db.prepare(
    `INSERT OR IGNORE INTO customer_meters (id, organization_id, customer_id, meter_id, created_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const now = iso(ctx.clock.now());
  ctx.store.transaction(() => {
    for (const p of missing)
      insert.run(newId(), p.customer.organization_id, p.customer.id, p.meter.id, now);
  });
}

/**
 * When each pair's customer meter was last modified, as `view(…).modified_at` says, without
 * computing its balance: the balance's last seq is the newest reset or credit visible and
 * the newest usage its customer's last recompute counts (anything older than the window's
 * reset is below that reset), so it is the largest of the kinds' newest seqs under those
 * cutoffs; only a seq past its cutoff costs one more index seek.
 */
export function modifiedAtReader(ctx: EmulatorContext): (pair: CustomerMeterPair) => string | null {
  const db = ctx.store.db;
  const visible = visibleEventSeq(ctx) ?? Number.MAX_SAFE_INTEGER;
  const recomputed = recomputedSeqs(ctx);
  const seek = db.prepare(
    `SELECT MAX(event_seq) FROM meter_events
     WHERE meter_id = ? AND customer_ref = ? AND kind = ? AND event_seq <= ?`,
  );
  const ingestedAt = db.prepare("SELECT ingested_at FROM usage_events WHERE seq = ?");
  return (pair) => {
    const usageVisible = Math.min(visible, recomputed(pair.customer) ?? Number.MAX_SAFE_INTEGER);
    let last = 0;
    for (const { ref, kind, seq } of pair.newest) {
      const cutoff = kind === METER_EVENT_KIND.usage ? usageVisible : visible;
      const counted =
        seq <= cutoff
          ? seq
          : ((seek.pluck().get(pair.meter.id, ref, kind, cutoff) as number | null) ?? 0);
      last = Math.max(last, counted);
    }
    if (last === 0) return null;
    const at = ingestedAt.pluck().get(last) as number | undefined;
    return at === undefined ? null : new Date(at).toISOString();
  };
}

/** A pair's full customer meter: its id and live balance. */
export const customerMeterOfPair = (ctx: EmulatorContext, pair: CustomerMeterPair) =>
  view(ctx, pair.customer, pair.meter);

/** Every customer meter of the organization, each with its balance computed. */
export function organizationCustomerMeters(
  ctx: EmulatorContext,
  organizationId: string,
): CustomerMeterView[] {
  return organizationMeterPairs(ctx, organizationId).map((p) => customerMeterOfPair(ctx, p));
}

/** One customer meter by id, if its customer and meter still exist. */
export function customerMeterById(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): CustomerMeterView | undefined {
  const row = ctx.store.db
    .prepare(
      "SELECT customer_id, meter_id FROM customer_meters WHERE id = ? AND organization_id = ?",
    )
    .get(id, organizationId) as { customer_id: string; meter_id: string } | undefined;
  if (!row) return undefined;
  const customer = customerById(ctx, organizationId, row.customer_id);
  const meter = meters(ctx).get(row.meter_id);
  return customer && meter ? view(ctx, customer, meter) : undefined;
}
