import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

type Call = ReturnType<typeof demoEmulator>["call"];

/** Quantities of a meter over the UTC day before and the day of now. */
async function meterTotal(call: Call, meterId: string): Promise<number> {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1));
  const end = new Date(start.getTime() + 2 * 86_400_000);
  const res = await call(
    "GET",
    `/v1/meters/${meterId}/quantities?start_timestamp=${start.toISOString()}&end_timestamp=${end.toISOString()}&interval=day`,
  );
  expect(res.status).toBe(200);
  return (res.body as { total: number }).total;
}

async function userEventCount(call: Call, extra = ""): Promise<number> {
  const res = await call("GET", `/v1/events/?source=user${extra}`);
  expect(res.status).toBe(200);
  return (res.body as { pagination: { total_count: number } }).pagination.total_count;
}

// Ingestion writes events many rows per statement: large batches, with duplicates anywhere
// in them, must count and link exactly as one row at a time would.
describe("events: large batches", () => {
  it("de-duplicates stored and in-batch external ids across statement chunks", async () => {
    const { call, seed } = demoEmulator();
    const first = await call("POST", "/v1/events/ingest", {
      body: {
        events: Array.from({ length: 10 }, (_, i) => ({
          name: "tool_call",
          external_customer_id: "batch-user",
          external_id: `known-${i * 13}`,
        })),
      },
    });
    expect(first.body).toEqual({ inserted: 10, duplicates: 0 });

    // 130 events: 10 already stored (spread over the chunks), 5 repeated within the batch
    // (the first occurrence wins), 20 without external_id.
    const events = Array.from({ length: 130 }, (_, i) => ({
      name: i % 4 === 0 ? "other" : "tool_call",
      external_customer_id: "batch-user",
      ...(i % 13 === 0
        ? { external_id: `known-${i}` }
        : i >= 110
          ? {}
          : { external_id: `new-${i % 100}` }),
      metadata: { i },
    }));
    const res = await call("POST", "/v1/events/ingest", { body: { events } });
    // What one row at a time does: the first occurrence of an external id wins.
    const seen = new Set(Array.from({ length: 10 }, (_, i) => `known-${i * 13}`));
    const kept = events.map((e) => {
      if (e.external_id === undefined) return true;
      if (seen.has(e.external_id)) return false;
      seen.add(e.external_id);
      return true;
    });
    const inserted = kept.filter(Boolean).length;
    expect(inserted).toBeGreaterThan(100);
    expect(inserted).toBeLessThan(120);
    expect(res.body).toEqual({ inserted, duplicates: 130 - inserted });

    expect(await userEventCount(call)).toBe(10 + inserted);
    const metered = events.filter((e, i) => kept[i] && e.name === "tool_call").length;
    expect(await meterTotal(call, seed.meterId!)).toBe(10 + metered);
    for (const i of [0, 1, 100, 101, 104, 129]) {
      expect(await userEventCount(call, `&metadata[i]=${i}`)).toBe(kept[i] ? 1 : 0);
    }

    const again = await call("POST", "/v1/events/ingest", { body: { events } });
    // Again: only the events without an external id are new.
    const anonymous = events.filter((e) => e.external_id === undefined).length;
    expect(again.body).toEqual({ inserted: anonymous, duplicates: 130 - anonymous });
  });
});

describe("events: file database", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("keeps every event and meter link across a reopen", async () => {
    dir = mkdtempSync(join(tmpdir(), "polar-emulator-ingest-"));
    const db = join(dir, "emulator.sqlite");
    const batch = (b: number) =>
      Array.from({ length: 1000 }, (_, i) => ({
        name: i % 10 === 0 ? "other" : "tool_call",
        external_customer_id: `user-${i % 7}`,
        external_id: `evt-${b}-${i}`,
      }));
    const first = demoEmulator({ db });
    for (let b = 0; b < 3; b++) {
      const res = await first.call("POST", "/v1/events/ingest", { body: { events: batch(b) } });
      expect(res.body).toEqual({ inserted: 1000, duplicates: 0 });
    }
    const events = await userEventCount(first.call);
    const customer = await userEventCount(first.call, "&external_customer_id=user-3");
    const metered = await meterTotal(first.call, first.seed.meterId!);
    expect([events, metered]).toEqual([3000, 2700]);
    await first.emulator.close();

    const second = demoEmulator({ db });
    expect(await userEventCount(second.call)).toBe(events);
    expect(await userEventCount(second.call, "&external_customer_id=user-3")).toBe(customer);
    expect(await meterTotal(second.call, second.seed.meterId!)).toBe(metered);
    const again = await second.call("POST", "/v1/events/ingest", { body: { events: batch(1) } });
    expect(again.body).toEqual({ inserted: 0, duplicates: 1000 });
    await second.emulator.close();
  });
});
