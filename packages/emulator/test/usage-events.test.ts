import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

describe("events: ingestion", () => {
  it("ingests both shapes and de-duplicates external_id per organization", async () => {
    const { call, seed } = demoEmulator();
    const first = await call("POST", "/v1/events/ingest", {
      body: {
        events: [
          { name: "a", customer_id: seed.customerId, external_id: "e1", metadata: { n: 1 } },
          { name: "b", external_customer_id: "someone-new", external_id: "e2" },
          { name: "c", external_customer_id: "someone-new", external_id: "e2" },
        ],
      },
    });
    expect(first).toMatchObject({ status: 200, body: { inserted: 2, duplicates: 1 } });
    const again = await call("POST", "/v1/events/ingest", {
      body: { events: [{ name: "a", customer_id: seed.customerId, external_id: "e1" }] },
    });
    expect(again.body).toEqual({ inserted: 0, duplicates: 1 });
  });

  it("rejects the whole batch with each invalid event located", async () => {
    const { call, seed } = demoEmulator();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const res = await call("POST", "/v1/events/ingest", {
      body: {
        events: [
          { name: "ok", customer_id: seed.customerId },
          { name: "late", customer_id: seed.customerId, timestamp: future },
          { name: "who", customer_id: "3f9b1d2e-8c4a-4b6e-9f1a-2d3c4b5a6e7f" },
          { name: "org", external_customer_id: "x", organization_id: seed.organizationId },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe("RequestValidationError");
    const locs = (res.body.detail as { loc: unknown[]; msg: string }[]).map((d) => [d.loc, d.msg]);
    expect(locs).toEqual([
      [["body", "events", 1, "timestamp"], "Value error, Timestamp must be in the past."],
      [["body", "events", 2, "customer_id"], "Customer not found."],
      [
        ["body", "events", 3, "organization_id"],
        "Setting organization_id is disallowed when using an organization token.",
      ],
    ]);
    const list = await call("GET", "/v1/events/?source=user");
    expect(list.body.pagination.total_count).toBe(0);
  });

  it("validates metadata value types against the document", async () => {
    const { call } = demoEmulator();
    const res = await call("POST", "/v1/events/ingest", {
      body: { events: [{ name: "x", external_customer_id: "u", metadata: { nested: { a: 1 } } }] },
    });
    expect(res.status).toBe(422);
    const locs = (res.body.detail as { loc: unknown[] }[]).map((d) => d.loc.join("."));
    expect(locs).toContain("body.events.0.metadata.nested");
    const ok = await call("POST", "/v1/events/ingest", {
      body: {
        events: [
          { name: "x", external_customer_id: "u", metadata: { s: "v", i: 1, f: 1.5, b: false } },
        ],
      },
    });
    expect(ok.body).toEqual({ inserted: 1, duplicates: 0 });
  });

  it("answers 413 above 10 MiB", async () => {
    const { call } = demoEmulator();
    const res = await call("POST", "/v1/events/ingest", {
      raw: JSON.stringify({ events: [{ name: "x".repeat(11 * 1024 * 1024) }] }),
    });
    expect(res.status).toBe(413);
  });
});

describe("events: list and get", () => {
  it("filters by customer, external customer, name, source, time and metadata", async () => {
    const { call, seed, emulator } = demoEmulator();
    const t = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await call("POST", "/v1/events/ingest", {
      body: {
        events: [
          {
            name: "tool_call",
            customer_id: seed.customerId,
            timestamp: t(30),
            metadata: { tool: "a" },
          },
          {
            name: "tool_call",
            external_customer_id: seed.externalCustomerId,
            timestamp: t(20),
            metadata: { tool: "b" },
          },
          { name: "other", external_customer_id: "stranger", timestamp: t(10), metadata: { n: 3 } },
        ],
      },
    });
    const ids = async (query: string) =>
      (
        (await call("GET", `/v1/events/?source=user&${query}`)).body.items as {
          name: string;
          metadata: { tool?: string; n?: number };
        }[]
      ).map((e) => e.metadata.tool ?? e.metadata.n);
    // Both the customer's own events: by id and by its external id.
    expect(await ids(`customer_id=${seed.customerId}`)).toEqual(["b", "a"]);
    expect(await ids(`external_customer_id=${seed.externalCustomerId}`)).toEqual(["b", "a"]);
    expect(await ids("name=other")).toEqual([3]);
    expect(await ids("metadata[tool]=a")).toEqual(["a"]);
    expect(await ids("metadata[n]=3")).toEqual([3]);
    expect(await ids(`start_timestamp=${encodeURIComponent(t(25))}&sorting=timestamp`)).toEqual([
      "b",
      3,
    ]);
    expect(await ids(`end_timestamp=${encodeURIComponent(t(25))}`)).toEqual(["a"]);
    const filter = JSON.stringify({
      conjunction: "and",
      clauses: [{ property: "tool", operator: "eq", value: "b" }],
    });
    expect(await ids(`filter=${encodeURIComponent(filter)}`)).toEqual(["b"]);
    const page = await call("GET", "/v1/events/?source=user&limit=2&page=2");
    expect(page.body.pagination).toEqual({ total_count: 3, max_page: 2 });
    expect(page.body.items).toHaveLength(1);

    const one = page.body.items[0] as { id: string };
    const got = await call("GET", `/v1/events/${one.id}`);
    expect(got.body).toMatchObject({ id: one.id, source: "user", label: "tool_call" });
    expect(got.body.customer).toMatchObject({ id: seed.customerId });
    const missing = await call("GET", "/v1/events/3f9b1d2e-8c4a-4b6e-9f1a-2d3c4b5a6e7f");
    expect(missing.status).toBe(404);
    await emulator.close();
  });

  it("records grants as system events", async () => {
    const { call, seed } = demoEmulator();
    const res = await call(
      "GET",
      `/v1/events/?source=system&customer_id=${seed.customerId}&sorting=timestamp`,
    );
    const names = (res.body.items as { name: string; source: string }[]).map((e) => e.name);
    expect(names).toEqual(["benefit.granted", "benefit.granted", "meter.credited"]);
    const credit = (res.body.items as { name: string; metadata: unknown }[]).find(
      (e) => e.name === "meter.credited",
    );
    expect(credit?.metadata).toEqual({ meter_id: seed.meterId, units: 100, rollover: false });
  });
});
