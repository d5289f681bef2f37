import type { EmulatorContext } from "../../context.js";
import { METER_EVENT_KIND, usageTables, type EventRow, type MeterLink } from "../events/table.js";
import { aggregationValue, EXCLUDED } from "./aggregation.js";
import type { FilterableEvent } from "./filter.js";
import { compileFilter } from "./filter.js";
import type { ActiveMeter, MeterRecord } from "./store.js";

/**
 * Links a freshly inserted user event to every active meter whose filter (and aggregation
 * property) it satisfies, as Polar's ingestion does with its meter_events table; quantities
 * and balances are then indexed aggregations over those links.
 */
export function linkEventToMeters(
  ctx: EmulatorContext,
  meters: readonly ActiveMeter[],
  seq: number,
  customerRef: string | null,
  event: FilterableEvent,
): void {
  if (meters.length === 0) return;
  const links: MeterLink[] = [];
  collectMeterLinks(meters, seq, customerRef, event, links);
  usageTables(ctx).insertLinks(links);
}

/**
 * `linkEventToMeters` for many events: appends each link the event makes to `links`, for one
 * multi-row insert (`UsageTables.insertLinks`) at the end of the batch.
 */
export function collectMeterLinks(
  meters: readonly ActiveMeter[],
  seq: number,
  customerRef: string | null,
  event: FilterableEvent,
  links: MeterLink[],
): void {
  for (const meter of meters) {
    if (!meter.matches(event)) continue;
    const value = aggregationValue(meter.record.aggregation, event);
    if (value === EXCLUDED) continue;
    links.push([meter.record.id, customerRef, METER_EVENT_KIND.usage, seq, event.timestamp, value]);
  }
}

/** Reads a stored row back into what filters see. */
export const filterableOf = (row: EventRow): FilterableEvent => ({
  name: row.name,
  source: row.source,
  timestamp: row.timestamp,
  metadata: JSON.parse(row.metadata) as Record<string, unknown>,
});

/**
 * Matches the organization's existing user events against a meter (Polar backfills a new
 * meter in a background job; the emulator does it at once). Idempotent: links that exist
 * are kept.
 */
export function backfillMeter(ctx: EmulatorContext, meter: MeterRecord): void {
  const tables = usageTables(ctx);
  const matches = compileFilter(meter.filter);
  const rows = tables.db
    .prepare(
      "SELECT * FROM usage_events WHERE organization_id = ? AND source = 'user' ORDER BY seq",
    )
    .iterate(meter.organization_id) as IterableIterator<EventRow>;
  const links: [string | null, number, number, number | string | null][] = [];
  for (const row of rows) {
    const event = filterableOf(row);
    if (!matches(event)) continue;
    const value = aggregationValue(meter.aggregation, event);
    if (value !== EXCLUDED) links.push([row.customer_ref, row.seq, row.timestamp, value]);
  }
  for (const [ref, seq, timestamp, value] of links) {
    tables.insertMeterEvent.run(meter.id, ref, METER_EVENT_KIND.usage, seq, timestamp, value);
  }
}

/** Drops a meter's usage links (before re-matching it after a filter or aggregation change). */
export function unlinkMeterUsage(ctx: EmulatorContext, meterId: string): void {
  usageTables(ctx)
    .db.prepare("DELETE FROM meter_events WHERE meter_id = ? AND kind = ?")
    .run(meterId, METER_EVENT_KIND.usage);
}

/** Whether any event is aggregated by the meter (Polar then freezes its filter and aggregation). */
export function meterHasUsage(ctx: EmulatorContext, meterId: string): boolean {
  return (
    usageTables(ctx)
      .db.prepare("SELECT 1 FROM meter_events WHERE meter_id = ? AND kind = ? LIMIT 1")
      .get(meterId, METER_EVENT_KIND.usage) !== undefined
  );
}
