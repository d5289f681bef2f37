/**
 * Ingestion throughput through POST /v1/events/ingest (in process: the emulator's full
 * HTTP handler — JSON parse, auth, OpenAPI validation, checks, insert, meter matching),
 * batches of 1,000 with the demo `tool_call` meter active; each event has an external_id
 * (the paywall always sends one). Baseline, same run: the same events stored as JSON
 * documents one autocommitted insert at a time (what a naive document store would do).
 * Usage: npx tsx bench/emulator-usage/ingest.ts [batches]
 */
import { randomUUID } from "node:crypto";
import { benchEmulator, fmt } from "./shared.js";

const BATCHES = Number(process.argv[2] ?? 100);
const BATCH = 1000;

const { emulator, call } = benchEmulator();
const seed = emulator.seed!;
const batch = (b: number) => ({
  events: Array.from({ length: BATCH }, (_, i) => ({
    name: i % 10 === 0 ? "other" : "tool_call",
    external_customer_id: `user-${i % 50}`,
    external_id: `evt-${b}-${i}`,
    metadata: { tool_name: "search", tokens: i },
  })),
});

// Warm up (compiles the validator and statements), then time.
await call("POST", "/v1/events/ingest", batch(-1));
const bodies = Array.from({ length: BATCHES }, (_, b) => batch(b));
let start = performance.now();
for (const body of bodies) await call("POST", "/v1/events/ingest", body);
const ours = (BATCHES * BATCH) / ((performance.now() - start) / 1000);

// The design the brief rules out, for scale: each event a JSON document, de-duplicated
// through an expression index on its external_id, all in one transaction.
const naive = emulator.context.store.collection<{
  id: string;
  external_id: string;
  organization_id: string;
}>("bench_naive_events", { indexes: ["external_id"] });
const NAIVE_EVENTS = 2 * BATCH;
start = performance.now();
emulator.context.store.transaction(() => {
  for (let i = 0; i < NAIVE_EVENTS; i++) {
    const event = bodies[Math.floor(i / BATCH)]!.events[i % BATCH]!;
    if (naive.findBy("external_id", event.external_id).length > 0) continue;
    naive.insert({ id: randomUUID(), ...event, organization_id: seed.organizationId });
  }
});
const baseline = NAIVE_EVENTS / ((performance.now() - start) / 1000);

// A naive client of the same endpoint: one event per request.
const SINGLE = 5 * BATCH;
start = performance.now();
for (let i = 0; i < SINGLE; i++) {
  await call("POST", "/v1/events/ingest", {
    events: [{ name: "tool_call", external_customer_id: "solo", external_id: `solo-${i}` }],
  });
}
const oneByOne = SINGLE / ((performance.now() - start) / 1000);

console.log(
  `ingest: ${fmt(ours, 0)} events/s over ${BATCHES * BATCH} events (batches of ${BATCH}, meter active)` +
    ` | baseline 1, same endpoint one event per request: ${fmt(oneByOne, 0)} events/s (×${fmt(ours / oneByOne)})` +
    ` | baseline 2, JSON documents de-duplicated through the document store's expression index, no HTTP, no meter: ${fmt(baseline, 0)} events/s (×${fmt(ours / baseline)})`,
);
await emulator.close();
