import { expect } from "vitest";
import type { Conformance, ConformanceCase } from "./harness.js";

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

const countOf = (name: string) => ({
  name: unique("meter"),
  filter: {
    conjunction: "and" as const,
    clauses: [{ property: "name", operator: "eq" as const, value: name }],
  },
  aggregation: { func: "count" as const },
});

/** Ingests one tool call for the demo customer (both SDKs read it back). */
const toolCall = (h: Conformance) =>
  h.latest.events.ingest({
    events: [{ name: "tool_call", customer_id: h.seed.customerId, metadata: { tool: "x" } }],
  });

const DAY = 86_400_000;
const window = () => {
  const end = new Date(Date.now() + DAY);
  return { start: new Date(end.getTime() - 3 * DAY), end };
};

export const cases: ConformanceCase[] = [
  {
    operationId: "events:ingest",
    latest: async (h) => {
      const res = await h.latest.events.ingest({
        events: [
          { name: "tool_call", customer_id: h.seed.customerId, external_id: unique("e") },
          { name: "tool_call", external_customer_id: h.seed.externalCustomerId },
        ],
      });
      expect(res.inserted).toBe(2);
    },
    strict: async (h) => {
      const res = await h.strict.events.ingest({
        events: [{ name: "tool_call", externalCustomerId: h.seed.externalCustomerId }],
      });
      expect(res.inserted).toBe(1);
    },
  },
  {
    operationId: "events:list",
    latest: async (h) => {
      await toolCall(h);
      const page = await h.latest.events.list({ customer_id: h.seed.customerId, limit: 100 });
      expect(page.items.length).toBeGreaterThan(0);
    },
    strict: async (h) => {
      await toolCall(h);
      const page = await h.strict.events.list({ customerId: h.seed.customerId, limit: 100 });
      expect(page.items.length).toBeGreaterThan(0);
    },
  },
  {
    operationId: "events:list_names",
    latest: async (h) => {
      await toolCall(h);
      const page = await h.latest.events.listNames({ customer_id: h.seed.customerId });
      expect(page.items.find((n) => n.name === "tool_call")?.occurrences).toBeGreaterThan(0);
    },
    strict: async (h) => {
      await toolCall(h);
      const page = await h.strict.events.listNames({ source: "user", query: "tool" });
      expect(page.result.items.map((n) => n.name)).toContain("tool_call");
    },
  },
  {
    operationId: "events:get",
    latest: async (h) => {
      const page = await h.latest.events.list({ source: "system", limit: 1 });
      const id = page.items[0]?.id ?? "";
      expect((await h.latest.events.get(id)).id).toBe(id);
    },
    strict: async (h) => {
      const page = await h.latest.events.list({ source: "user", limit: 1 });
      const id = page.items[0]?.id ?? "";
      expect((await h.strict.events.get({ id })).id).toBe(id);
    },
  },
  {
    operationId: "meters:create",
    latest: async (h) => {
      const meter = await h.latest.meters.create(countOf("tool_call"));
      expect(meter.aggregation).toEqual({ func: "count" });
    },
    strict: async (h) => {
      const meter = await h.strict.meters.create({
        ...countOf("tool_call"),
        aggregation: { func: "sum", property: "tokens" },
      });
      expect(meter.archivedAt).toBeNull();
    },
  },
  {
    operationId: "meters:get",
    latest: async (h) => {
      expect((await h.latest.meters.get(h.seed.meterId)).name).toBe("tool_call");
    },
    strict: async (h) => {
      expect((await h.strict.meters.get({ id: h.seed.meterId })).name).toBe("tool_call");
    },
  },
  {
    operationId: "meters:list",
    latest: async (h) => {
      const page = await h.latest.meters.list({ limit: 100 });
      expect(page.items.some((m) => m.id === h.seed.meterId)).toBe(true);
    },
    strict: async (h) => {
      const page = await h.strict.meters.list({ limit: 100 });
      expect(page.result.items.some((m) => m.id === h.seed.meterId)).toBe(true);
    },
  },
  {
    operationId: "meters:update",
    latest: async (h) => {
      const meter = await h.latest.meters.create(countOf("nothing"));
      const updated = await h.latest.meters.update(meter.id, { is_archived: true });
      expect(updated.archived_at).not.toBeNull();
    },
    strict: async (h) => {
      const meter = await h.latest.meters.create(countOf("nothing"));
      const updated = await h.strict.meters.update({
        id: meter.id,
        meterUpdate: { name: "Renamed meter" },
      });
      expect(updated.name).toBe("Renamed meter");
    },
  },
  {
    operationId: "meters:quantities",
    latest: async (h) => {
      await toolCall(h);
      const { start, end } = window();
      const q = await h.latest.meters.quantities(h.seed.meterId, {
        start_timestamp: start.toISOString(),
        end_timestamp: end.toISOString(),
        interval: "day",
        timezone: "Europe/Paris",
      });
      expect(q.quantities).toHaveLength(4);
      expect(q.total).toBeGreaterThan(0);
    },
    strict: async (h) => {
      const { start, end } = window();
      const q = await h.strict.meters.quantities({
        id: h.seed.meterId,
        startTimestamp: start,
        endTimestamp: end,
        interval: "hour",
      });
      expect(q.quantities.length).toBeGreaterThan(24);
    },
  },
  {
    operationId: "customer_meters:list",
    latest: async (h) => {
      const page = await h.latest.customerMeters.list({ customer_id: h.seed.customerId });
      expect(page.items[0]?.meter_id).toBe(h.seed.meterId);
    },
    strict: async (h) => {
      const page = await h.strict.customerMeters.list({ meterId: h.seed.meterId });
      expect(page.result.items.some((m) => m.customerId === h.seed.customerId)).toBe(true);
    },
  },
  {
    operationId: "customer_meters:get",
    latest: async (h) => {
      const page = await h.latest.customerMeters.list({ customer_id: h.seed.customerId });
      const id = page.items[0]?.id ?? "";
      expect((await h.latest.customerMeters.get(id)).credited_units).toBe(100);
    },
    strict: async (h) => {
      const page = await h.latest.customerMeters.list({ customer_id: h.seed.customerId });
      const id = page.items[0]?.id ?? "";
      expect((await h.strict.customerMeters.get({ id })).creditedUnits).toBe(100);
    },
  },
  {
    operationId: "customers:get_state",
    latest: async (h) => {
      const state = await h.latest.customers.getState(h.seed.customerId);
      expect(state.active_meters[0]?.meter_id).toBe(h.seed.meterId);
    },
    strict: async (h) => {
      const state = await h.strict.customers.getState({ id: h.seed.customerId });
      expect(state.activeMeters[0]?.creditedUnits).toBe(100);
    },
  },
  {
    operationId: "customers:get_state_external",
    latest: async (h) => {
      const state = await h.latest.customers.getStateExternal(h.seed.externalCustomerId);
      expect(state.granted_benefits.length).toBeGreaterThanOrEqual(2);
    },
    strict: async (h) => {
      const state = await h.strict.customers.getStateExternal({
        externalId: h.seed.externalCustomerId,
      });
      expect(state.id).toBe(h.seed.customerId);
    },
  },
];
