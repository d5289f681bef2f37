import type { EmulatorContext } from "../../context.js";
import type { CustomerLike } from "../events/customers.js";
import { refsOfCustomer } from "../events/customers.js";
import { METER_EVENT_KIND } from "../events/table.js";
import { aggregateSql } from "../meters/aggregation.js";
import type { MeterRecord } from "../meters/store.js";
import { visibleEventSeq } from "../../http/simulation.js";
import { recomputedSeq } from "./debounce.js";

export interface MeterBalance {
  consumed_units: number;
  credited_units: number;
  balance: number;
  /** seq of the latest event that moved this balance, or 0. */
  last_seq: number;
}

/**
 * A customer's standing on a meter, as Polar's customer meter computes it: the window opens
 * at the latest `meter.reset`; credited units are the running sum of `meter.credited` units
 * in the window, never below zero; consumed units are the meter's aggregation over the
 * customer's events in the window (by customer id, or by an external id equal to the
 * customer's); balance = credited − consumed, negative when overused (Polar never blocks).
 * Every part is a range scan of one primary-key prefix.
 */
export function meterBalance(
  ctx: EmulatorContext,
  meter: MeterRecord,
  customer: CustomerLike,
): MeterBalance {
  const refs = refsOfCustomer(customer);
  const inRefs = `customer_ref IN (${refs.map(() => "?").join(", ")})`;
  const db = ctx.store.db;
  // With a simulated meter lag, events ingested within the lag are not counted yet.
  const visible = visibleEventSeq(ctx) ?? Number.MAX_SAFE_INTEGER;
  // Usage counts as of the customer's last debounced recompute (see debounce.ts).
  const usageVisible = Math.min(visible, recomputedSeq(ctx, customer) ?? Number.MAX_SAFE_INTEGER);
  const reset =
    (
      db
        .prepare(
          `SELECT MAX(event_seq) AS seq FROM meter_events WHERE meter_id = ? AND ${inRefs} AND kind = ? AND event_seq <= ?`,
        )
        .get(meter.id, ...refs, METER_EVENT_KIND.reset, visible) as { seq: number | null }
    ).seq ?? 0;
  const credits = db
    .prepare(
      `SELECT value, event_seq FROM meter_events
       WHERE meter_id = ? AND ${inRefs} AND kind = ? AND event_seq > ? AND event_seq <= ? ORDER BY event_seq`,
    )
    .all(meter.id, ...refs, METER_EVENT_KIND.credit, reset, visible) as {
    value: number;
    event_seq: number;
  }[];
  let credited = 0;
  for (const credit of credits) credited = Math.max(0, credited + credit.value);
  const usage = db
    .prepare(
      `SELECT ${aggregateSql(meter.aggregation.func)} AS q, MAX(event_seq) AS last
       FROM meter_events m WHERE meter_id = ? AND ${inRefs} AND kind = ? AND event_seq > ? AND event_seq <= ?`,
    )
    .get(meter.id, ...refs, METER_EVENT_KIND.usage, reset, usageVisible) as {
    q: number | null;
    last: number | null;
  };
  const consumed = usage.q ?? 0;
  return {
    consumed_units: consumed,
    credited_units: credited,
    balance: credited - consumed,
    last_seq: Math.max(reset, usage.last ?? 0, credits.at(-1)?.event_seq ?? 0),
  };
}
