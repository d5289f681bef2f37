import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import {
  customerByExternalId,
  customerById,
  refsOfCustomer,
  type CustomerLike,
} from "../events/customers.js";
import { meters, type MeterRecord } from "../meters/store.js";
import { meterBalance, type MeterBalance } from "./balance.js";

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

/** Every customer meter of the organization: each customer with events or credits on a meter. */
export function organizationCustomerMeters(
  ctx: EmulatorContext,
  organizationId: string,
): CustomerMeterView[] {
  const out: CustomerMeterView[] = [];
  for (const meter of meters(ctx).byOrganization(organizationId)) {
    const refs = ctx.store.db
      .prepare("SELECT DISTINCT customer_ref AS ref FROM meter_events WHERE meter_id = ?")
      .all(meter.id) as { ref: string | null }[];
    const seen = new Set<string>();
    for (const { ref } of refs) {
      if (ref === null) continue;
      const customer = ref.startsWith("id:")
        ? customerById(ctx, organizationId, ref.slice(3))
        : customerByExternalId(ctx, organizationId, ref.slice(4));
      if (!customer || seen.has(customer.id)) continue;
      seen.add(customer.id);
      out.push(view(ctx, customer, meter));
    }
  }
  return out;
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
