/**
 * Quantities over 1,000,000 events (daily buckets over 30 days) and customer state for a
 * customer with 100,000 events, through the emulator's HTTP handler in process. Data is
 * inserted straight through the table module (fast setup); the timed paths are the real
 * handlers. Baselines, same run: the naive way without the meter link table — scan every
 * stored event, parse its metadata and run the meter filter in JS.
 * Usage: npx tsx bench/emulator-usage/queries.ts [events]
 */
import { createCustomer } from "../../packages/emulator/src/resources/customers/store.js";
import {
  eventIdOf,
  refOfCustomerId,
  refOfExternalId,
  usageTables,
  type EventRow,
} from "../../packages/emulator/src/resources/events/table.js";
import {
  filterableOf,
  linkEventToMeters,
} from "../../packages/emulator/src/resources/meters/matching.js";
import { activeMeters } from "../../packages/emulator/src/resources/meters/store.js";
import { compileFilter } from "../../packages/emulator/src/resources/meters/filter.js";
import { benchEmulator, fmt, medianMs } from "./shared.js";

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const WHALE_EVENTS = 100_000;
const DAY = 86_400_000;

const { emulator, call } = benchEmulator();
const ctx = emulator.context;
const seed = emulator.seed!;
const whale = createCustomer(ctx, seed.organizationId, {
  email: "whale@example.com",
  external_id: "whale",
});
const tables = usageTables(ctx);
const meters = activeMeters(ctx, seed.organizationId);
const end = Date.now() - 60_000;
const startAt = end - 30 * DAY;

const firstSeq = tables.nextSeq();
const t = performance.now();
ctx.store.transaction(() => {
  for (let i = 0; i < EVENTS; i++) {
    const timestamp = startAt + Math.floor((i / EVENTS) * 30 * DAY);
    const isWhale = i % Math.floor(EVENTS / WHALE_EVENTS) === 0;
    const customerRef = isWhale ? refOfCustomerId(whale.id) : refOfExternalId(`user-${i % 1000}`);
    const metadata = { tool_name: "search", tokens: i % 100 };
    const seq = firstSeq + i;
    const row = {
      seq,
      id: eventIdOf(seq),
      organization_id: seed.organizationId,
      name: i % 10 === 9 ? "other" : "tool_call",
      source: "user" as const,
      timestamp,
      ingested_at: timestamp,
      customer_id: isWhale ? whale.id : null,
      external_customer_id: isWhale ? null : `user-${i % 1000}`,
      customer_ref: customerRef,
      member_id: null,
      external_member_id: null,
      external_id: null,
      parent_id: null,
      metadata: JSON.stringify(metadata),
    };
    tables.insert(row);
    linkEventToMeters(ctx, meters, seq, customerRef, {
      name: row.name,
      source: "user",
      timestamp,
      metadata,
    });
  }
});
console.log(`setup: ${EVENTS} events inserted in ${fmt((performance.now() - t) / 1000)} s`);

const meter = meters[0]!.record;
const matches = compileFilter(meter.filter);
const qs = `start_timestamp=${new Date(startAt).toISOString()}&end_timestamp=${new Date(end).toISOString()}&interval=day`;
let result: unknown;
const quantitiesMs = await medianMs(9, async () => {
  result = await call("GET", `/v1/meters/${meter.id}/quantities?${qs}`);
});
const { total, quantities } = result as { total: number; quantities: unknown[] };

const scan = ctx.store.db.prepare("SELECT * FROM usage_events WHERE organization_id = ?");
const naiveQuantitiesMs = await medianMs(3, () => {
  const buckets = new Map<number, number>();
  for (const row of scan.iterate(seed.organizationId) as IterableIterator<EventRow>) {
    if (row.source !== "user" || !matches(filterableOf(row))) continue;
    const day = Math.floor(row.timestamp / DAY);
    buckets.set(day, (buckets.get(day) ?? 0) + 1);
  }
  return buckets;
});
console.log(
  `quantities (1 meter, ${EVENTS} events, ${quantities.length} daily buckets, total ${total}): ${fmt(quantitiesMs)} ms` +
    ` | naive full scan + JS filter: ${fmt(naiveQuantitiesMs)} ms | ratio ×${fmt(naiveQuantitiesMs / quantitiesMs)}`,
);

let state: unknown;
const stateMs = await medianMs(21, async () => {
  state = await call("GET", `/v1/customers/${whale.id}/state`);
});
const consumed = (state as { active_meters: { consumed_units: number }[] }).active_meters[0]
  ?.consumed_units;
const naiveStateMs = await medianMs(3, () => {
  let n = 0;
  for (const row of ctx.store.db
    .prepare("SELECT * FROM usage_events NOT INDEXED WHERE customer_id = ?")
    .iterate(whale.id) as IterableIterator<EventRow>) {
    if (matches(filterableOf(row))) n++;
  }
  return n;
});
console.log(
  `customer state (customer with ${WHALE_EVENTS} events, consumed ${consumed}): ${fmt(stateMs)} ms` +
    ` | naive scan of the events table + JS filter: ${fmt(naiveStateMs)} ms | ratio ×${fmt(naiveStateMs / stateMs)}`,
);
await emulator.close();
