import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

type Call = ReturnType<typeof demoEmulator>["call"];

const nameIs = (name: string) => ({
  conjunction: "and",
  clauses: [{ property: "name", operator: "eq", value: name }],
});

async function createMeter(
  call: Call,
  name: string,
  aggregation: object,
  filter = nameIs("usage"),
) {
  const res = await call("POST", "/v1/meters/", { body: { name, filter, aggregation } });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

/** Quantities over one UTC day containing every event ingested by the test. */
async function total(call: Call, meterId: string, extra = "") {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1));
  const end = new Date(start.getTime() + 2 * 86_400_000);
  const res = await call(
    "GET",
    `/v1/meters/${meterId}/quantities?start_timestamp=${start.toISOString()}&end_timestamp=${end.toISOString()}&interval=day${extra}`,
  );
  expect(res.status).toBe(200);
  return res.body as { quantities: { timestamp: string; quantity: number }[]; total: number };
}

describe("meters", () => {
  it("creates, gets, lists, updates and archives", async () => {
    const { call } = demoEmulator();
    const meter = await createMeter(call, "Tokens", { func: "sum", property: "metadata.tokens" });
    const got = await call("GET", `/v1/meters/${meter.id}`);
    expect(got.body).toMatchObject({ name: "Tokens", unit: "scalar", archived_at: null });
    const list = await call("GET", "/v1/meters/?query=tok");
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual([meter.id]);
    const renamed = await call("PATCH", `/v1/meters/${meter.id}`, {
      body: { name: "Tokens used", aggregation: { func: "max", property: "tokens" } },
    });
    expect(renamed.body).toMatchObject({ name: "Tokens used", aggregation: { func: "max" } });
    await call("POST", "/v1/events/ingest", {
      body: { events: [{ name: "usage", external_customer_id: "u", metadata: { tokens: 5 } }] },
    });
    const frozen = await call("PATCH", `/v1/meters/${meter.id}`, { body: { filter: nameIs("x") } });
    expect(frozen.status).toBe(422);
    expect(frozen.body.detail[0]).toMatchObject({ type: "forbidden", loc: ["body", "filter"] });
    const archived = await call("PATCH", `/v1/meters/${meter.id}`, { body: { is_archived: true } });
    expect(archived.body.archived_at).not.toBeNull();
    const active = await call("GET", "/v1/meters/?is_archived=false");
    expect(active.body.items.map((m: { id: string }) => m.id)).not.toContain(meter.id);
  });

  it("refuses to archive a meter a meter_credit benefit credits", async () => {
    const { call, seed } = demoEmulator();
    const res = await call("PATCH", `/v1/meters/${seed.meterId}`, { body: { is_archived: true } });
    expect(res.status).toBe(422);
    expect(res.body.detail[0].msg).toBe(
      "Cannot archive meter that is still referenced by active benefits",
    );
  });

  it("aggregates count, sum, max, min, avg and unique; non-numbers are not counted", async () => {
    const { call } = demoEmulator();
    const ids: Record<string, string> = {};
    for (const func of ["count", "sum", "max", "min", "avg"]) {
      ids[func] = (
        await createMeter(call, func, func === "count" ? { func } : { func, property: "n" })
      ).id;
    }
    ids.unique = (await createMeter(call, "unique", { func: "unique", property: "who" })).id;
    const events = [
      { n: 10, who: "a" },
      { n: 20, who: "b" },
      { n: 30, who: "a" },
      { n: "40", who: 1 },
      { who: "1" },
    ].map((metadata) => ({ name: "usage", external_customer_id: "u", metadata }));
    await call("POST", "/v1/events/ingest", { body: { events } });
    const totals: Record<string, number> = {};
    for (const [func, id] of Object.entries(ids)) totals[func] = (await total(call, id)).total;
    expect(totals).toEqual({ count: 5, sum: 60, max: 30, min: 10, avg: 20, unique: 4 });
  });

  it("backfills a new meter from events already ingested", async () => {
    const { call } = demoEmulator();
    await call("POST", "/v1/events/ingest", {
      body: {
        events: [
          { name: "usage", external_customer_id: "u" },
          { name: "other", external_customer_id: "u" },
        ],
      },
    });
    const meter = await createMeter(call, "late", { func: "count" });
    expect((await total(call, meter.id)).total).toBe(1);
  });
});

describe("meter quantities", () => {
  it("buckets by local days across a DST change, zero-filled", async () => {
    const { call } = demoEmulator();
    const meter = await createMeter(call, "calls", { func: "count" });
    // New York: 2024-03-10 is a 23-hour day (clocks jump from 02:00 to 03:00).
    const at = [
      "2024-03-09T12:00:00Z",
      "2024-03-10T04:59:00Z",
      "2024-03-10T05:00:00Z",
      "2024-03-11T03:59:00Z",
      "2024-03-11T04:00:00Z",
    ];
    await call("POST", "/v1/events/ingest", {
      body: {
        events: at.map((timestamp) => ({ name: "usage", external_customer_id: "u", timestamp })),
      },
    });
    const res = await call(
      "GET",
      `/v1/meters/${meter.id}/quantities?start_timestamp=2024-03-08T00:00:00-05:00&end_timestamp=2024-03-12T00:00:00-04:00&interval=day&timezone=America/New_York`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      quantities: [
        { timestamp: "2024-03-08T05:00:00.000Z", quantity: 0 },
        { timestamp: "2024-03-09T05:00:00.000Z", quantity: 2 },
        { timestamp: "2024-03-10T05:00:00.000Z", quantity: 2 },
        { timestamp: "2024-03-11T04:00:00.000Z", quantity: 1 },
        { timestamp: "2024-03-12T04:00:00.000Z", quantity: 0 },
      ],
      total: 5,
    });
    const utc = await call(
      "GET",
      `/v1/meters/${meter.id}/quantities?start_timestamp=2024-03-09T00:00:00Z&end_timestamp=2024-03-11T00:00:00Z&interval=day`,
    );
    expect(utc.body.quantities.map((q: { quantity: number }) => q.quantity)).toEqual([1, 2, 2]);
  });

  it("filters by customer and external customer, and aggregates per customer", async () => {
    const { call, seed } = demoEmulator();
    const meter = await createMeter(call, "calls", { func: "count" });
    await call("POST", "/v1/events/ingest", {
      body: {
        events: [
          { name: "usage", customer_id: seed.customerId },
          { name: "usage", external_customer_id: seed.externalCustomerId },
          { name: "usage", external_customer_id: "other" },
        ],
      },
    });
    expect((await total(call, meter.id, `&customer_id=${seed.customerId}`)).total).toBe(2);
    expect((await total(call, meter.id, "&external_customer_id=other")).total).toBe(1);
    expect((await total(call, meter.id, "&customer_aggregation_function=max")).total).toBe(2);
  });

  it("answers 422 beyond Polar's span limits and before 2023", async () => {
    const { call, seed } = demoEmulator();
    const q = (start: string, end: string, interval: string) =>
      call(
        "GET",
        `/v1/meters/${seed.meterId}/quantities?start_timestamp=${start}&end_timestamp=${end}&interval=${interval}`,
      );
    const tooLong = await q("2024-01-01T00:00:00Z", "2024-01-09T00:00:00Z", "hour");
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.detail[0]).toMatchObject({ loc: ["query"], type: "value_error" });
    expect((await q("2024-01-01T00:00:00Z", "2024-01-08T00:00:00Z", "hour")).status).toBe(200);
    expect((await q("2024-01-01T00:00:00Z", "2025-01-02T00:00:00Z", "day")).status).toBe(422);
    expect((await q("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z", "day")).status).toBe(422);
    expect((await q("2022-12-31T00:00:00Z", "2023-01-02T00:00:00Z", "day")).status).toBe(422);
    expect((await q("2024-01-01T00:00:00Z", "2024-01-02T00:00:00", "day")).status).toBe(422);
  });
});
