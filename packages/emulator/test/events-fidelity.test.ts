import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

describe("events as Polar ingests them", () => {
  it("accepts a child before its parent and links it when the parent arrives", async () => {
    const { call, seed } = demoEmulator();
    const child = await call("POST", "/v1/events/ingest", {
      body: {
        events: [
          {
            name: "llm.span",
            customer_id: seed.customerId,
            external_id: "span-child",
            parent_id: "span-root",
          },
        ],
      },
    });
    expect(child.status).toBe(200);
    expect(child.body).toEqual({ inserted: 1, duplicates: 0 });
    const [orphan] = (await call("GET", "/v1/events/?name=llm.span&limit=10")).body.items;
    expect(orphan.parent_id).toBeNull();

    const parent = await call("POST", "/v1/events/ingest", {
      body: {
        events: [{ name: "llm.trace", customer_id: seed.customerId, external_id: "span-root" }],
      },
    });
    expect(parent.body.inserted).toBe(1);
    const root = (await call("GET", "/v1/events/?name=llm.trace&limit=10")).body.items[0];
    const linked = (await call("GET", `/v1/events/${orphan.id}`)).body;
    expect(linked.parent_id).toBe(root.id);
    expect((await call("GET", `/v1/events/${root.id}`)).body.child_count).toBe(1);
    const children = await call("GET", `/v1/events/?parent_id=${root.id}&limit=10`);
    expect(children.body.items.map((e: { id: string }) => e.id)).toEqual([orphan.id]);
  });

  it("links a child named by its parent's Polar id, and a grandchild chain arriving in reverse", async () => {
    const { call, seed } = demoEmulator();
    const ingest = (events: unknown[]) => call("POST", "/v1/events/ingest", { body: { events } });
    const e = (name: string, extra: Record<string, unknown>) => ({
      name,
      customer_id: seed.customerId,
      ...extra,
    });
    // c → b → a, sent leaf first, one batch each.
    expect((await ingest([e("c", { external_id: "c", parent_id: "b" })])).status).toBe(200);
    expect((await ingest([e("b", { external_id: "b", parent_id: "a" })])).status).toBe(200);
    expect((await ingest([e("a", { external_id: "a" })])).status).toBe(200);
    const byName = async (name: string) =>
      (await call("GET", `/v1/events/?name=${name}&limit=10`)).body.items[0];
    const [a, b, c] = [await byName("a"), await byName("b"), await byName("c")];
    expect(b.parent_id).toBe(a.id);
    expect(c.parent_id).toBe(b.id);
    // A parent named by Polar id resolves at once; an unknown one stays pending, not refused.
    const direct = await ingest([e("d", { parent_id: a.id })]);
    expect(direct.status).toBe(200);
    expect((await byName("d")).parent_id).toBe(a.id);
    const dangling = await ingest([e("z", { parent_id: "never-arrives" })]);
    expect(dangling.status).toBe(200);
    expect((await byName("z")).parent_id).toBeNull();
  });

  it("sends _cost.amount back as a decimal string and meters still sum it", async () => {
    const { call, seed } = demoEmulator();
    const meter = await call("POST", "/v1/meters/", {
      body: {
        name: "LLM cost",
        filter: {
          conjunction: "and",
          clauses: [{ property: "name", operator: "eq", value: "completion" }],
        },
        aggregation: { func: "sum", property: "_cost.amount" },
      },
    });
    expect(meter.status).toBe(201);
    const ingest = await call("POST", "/v1/events/ingest", {
      body: {
        events: [
          {
            name: "completion",
            customer_id: seed.customerId,
            metadata: { _cost: { amount: 12.5, currency: "usd" } },
          },
          {
            name: "completion",
            customer_id: seed.customerId,
            metadata: { _cost: { amount: "0.000001", currency: "usd" } },
          },
        ],
      },
    });
    expect(ingest.status).toBe(200);
    const events = (await call("GET", "/v1/events/?name=completion&sorting=timestamp&limit=10"))
      .body.items;
    const amounts = events.map(
      (e: { metadata: { _cost: { amount: unknown } } }) => e.metadata._cost.amount,
    );
    expect(amounts.sort()).toEqual(["0.000001", "12.5"]);
    const start = new Date(Date.now() - 86_400_000).toISOString();
    const end = new Date(Date.now() + 86_400_000).toISOString();
    const quantities = await call(
      "GET",
      `/v1/meters/${meter.body.id}/quantities?start_timestamp=${start}&end_timestamp=${end}&interval=day`,
    );
    expect(quantities.status).toBe(200);
    expect(quantities.body.total).toBeCloseTo(12.500001, 9);
  });

  it("lists event names with occurrences, filters and Polar's labels", async () => {
    const { call, seed } = demoEmulator();
    const other = await call("POST", "/v1/customers/", {
      body: { email: "names@example.com", external_id: "names-user" },
    });
    await call("POST", "/v1/events/ingest", {
      body: {
        events: [
          { name: "tool_call", customer_id: seed.customerId },
          { name: "tool_call", customer_id: seed.customerId },
          { name: "search", external_customer_id: "names-user" },
        ],
      },
    });
    const all = await call("GET", "/v1/events/names?limit=100");
    expect(all.status).toBe(200);
    const toolCall = all.body.items.find((n: { name: string }) => n.name === "tool_call");
    expect(toolCall).toMatchObject({ label: "tool_call", source: "user" });
    expect(toolCall.occurrences).toBeGreaterThanOrEqual(2);
    expect(Date.parse(toolCall.first_seen)).toBeLessThanOrEqual(Date.parse(toolCall.last_seen));
    // The demo's credits were granted through system events, labelled as Polar labels them.
    const system = await call("GET", "/v1/events/names?source=system&limit=100");
    expect(system.body.items.length).toBeGreaterThan(0);
    for (const item of system.body.items) expect(item.source).toBe("system");
    // By customer id, events sent with that customer's external id count too.
    const byCustomer = await call("GET", `/v1/events/names?customer_id=${other.body.id}`);
    expect(byCustomer.body.items.map((n: { name: string }) => n.name)).toEqual(["search"]);
    const search = await call("GET", "/v1/events/names?query=SEAR");
    expect(search.body.items.map((n: { name: string }) => n.name)).toEqual(["search"]);
    const sorted = await call("GET", "/v1/events/names?sorting=-occurrences&source=user");
    const counts = sorted.body.items.map((n: { occurrences: number }) => n.occurrences);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
  });

  it("sets first_user_event_at from the customer's first user event, even one sent before it existed", async () => {
    const { call, emulator } = demoEmulator();
    const timestampOf = async (name: string) =>
      (await call("GET", `/v1/events/?name=${name}&limit=1`)).body.items[0].timestamp as string;
    await call("POST", "/v1/events/ingest", {
      body: { events: [{ name: "early", external_customer_id: "late-signup" }] },
    });
    emulator.clock.advance(60_000);
    const created = await call("POST", "/v1/customers/", {
      body: { email: "late@example.com", external_id: "late-signup" },
    });
    expect(created.body.first_user_event_at).toBe(await timestampOf("early"));
    expect(Date.parse(created.body.first_user_event_at)).toBeLessThan(
      Date.parse(created.body.created_at),
    );
    const fresh = await call("POST", "/v1/customers/", { body: { email: "fresh@example.com" } });
    expect(fresh.body.first_user_event_at).toBeNull();
    await call("POST", "/v1/events/ingest", {
      body: { events: [{ name: "later", customer_id: fresh.body.id }] },
    });
    const read = await call("GET", `/v1/customers/${fresh.body.id}`);
    expect(read.body.first_user_event_at).toBe(await timestampOf("later"));
    const state = await call("GET", `/v1/customers/${fresh.body.id}/state`);
    expect(state.body.first_user_event_at).toBe(await timestampOf("later"));
  });
});
