import { describe, expect, it } from "vitest";
import type { EmulatorOptions } from "../src/index.js";
import { resetCustomerMeter } from "../src/resources/customer-meters/credits.js";
import { customerMetersOf } from "../src/resources/customer-meters/store.js";
import { customerById } from "../src/resources/events/customers.js";
import { demoEmulator } from "./helpers.js";

interface Row {
  id: string;
  customer_id: string;
  meter_id: string;
  modified_at: string | null;
  balance: number;
  consumed_units: number;
  credited_units: number;
}

/**
 * Customers whose meters were last modified by every kind of event and under every cutoff:
 * credits only, usage counted by a recompute that ran, usage still waiting for its recompute
 * behind an older credit, usage by external id, a reset, and usage sent again after a
 * recompute ran (its counted seq sits below the newest stored one). One second apart, so no
 * two customer meters share a modification time.
 */
async function scenario(options: EmulatorOptions = {}) {
  const env = demoEmulator(options);
  const { emulator, call, seed } = env;
  const tick = () => emulator.clock.advance(1_000);
  const customer = async (externalId?: string) => {
    const res = await call("POST", "/v1/customers/", {
      body: {
        email: `${externalId ?? Math.random().toString(36).slice(2)}@example.com`,
        external_id: externalId,
      },
    });
    return res.body.id as string;
  };
  const grant = (customerId: string) =>
    emulator.fetch(
      new Request("http://emulator/__emulator/benefit-grants", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ customer_id: customerId, benefit_id: seed.benefitIds.meterCredit }),
      }),
    );
  const use = (to: { customer_id: string } | { external_customer_id: string }, count = 1) =>
    call("POST", "/v1/events/ingest", {
      body: { events: Array.from({ length: count }, () => ({ name: "tool_call", ...to })) },
    });

  const creditsOnly = await customer();
  await grant(creditsOnly);
  tick();
  const recomputed = await customer();
  await use({ customer_id: recomputed }, 3);
  tick();
  const pendingBehindCredit = await customer();
  await grant(pendingBehindCredit);
  tick();
  const external = await customer("ext-1");
  await use({ external_customer_id: "ext-1" }, 2);
  tick();
  const wasReset = await customer();
  await use({ customer_id: wasReset });
  emulator.clock.advance(20_000);
  resetCustomerMeter(emulator.context, seed.organizationId, wasReset, seed.meterId);
  tick();
  const againAfterRecompute = await customer();
  await use({ customer_id: againAfterRecompute });
  emulator.clock.advance(20_000);
  await use({ customer_id: againAfterRecompute }, 4);
  tick();
  // Pending now: the newest stored usage is not counted yet.
  await use({ customer_id: pendingBehindCredit }, 5);
  tick();
  await use({ customer_id: seed.customerId }, 2);
  tick();
  await use({ external_customer_id: "ext-1" });
  tick();
  return {
    ...env,
    customers: [
      creditsOnly,
      recomputed,
      pendingBehindCredit,
      external,
      wasReset,
      againAfterRecompute,
      seed.customerId,
    ],
  };
}

/** Every page of a list, `limit` rows at a time. */
async function listAll(
  call: Awaited<ReturnType<typeof scenario>>["call"],
  query: string,
  limit: number,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (let page = 1; ; page++) {
    const res = await call("GET", `/v1/customer-meters/?${query}&limit=${limit}&page=${page}`);
    expect(res.status).toBe(200);
    rows.push(...(res.body.items as Row[]));
    if (page >= res.body.pagination.max_page) return rows;
  }
}

/** The customer meters built one customer at a time, each with its balance (the reference). */
function reference(env: Awaited<ReturnType<typeof scenario>>): Row[] {
  const ctx = env.emulator.context;
  return env.customers.flatMap((id) =>
    customerMetersOf(ctx, customerById(ctx, env.seed.organizationId, id)!, false).map((v) => ({
      id: v.id,
      customer_id: v.customer.id,
      meter_id: v.meter.id,
      modified_at: v.modified_at,
      balance: v.balance,
      consumed_units: v.consumed_units,
      credited_units: v.credited_units,
    })),
  );
}

const pick = (r: Row) => ({
  id: r.id,
  customer_id: r.customer_id,
  meter_id: r.meter_id,
  modified_at: r.modified_at,
  balance: r.balance,
  consumed_units: r.consumed_units,
  credited_units: r.credited_units,
});
const byId = (rows: Row[]) => [...rows].map(pick).sort((a, b) => a.id.localeCompare(b.id));

describe("customer meters list: sorted without computing every balance", () => {
  for (const [name, options] of [
    ["debounced balances", {}],
    ["a simulated meter lag", { meterLagMs: 2_500, instantBalances: true }],
  ] as const)
    it(`orders by modification exactly as the full views say, page by page (${name})`, async () => {
      const env = await scenario(options);
      const expected = reference(env);
      expect(new Set(expected.map((r) => r.modified_at)).size).toBe(expected.length);
      const listed = await listAll(env.call, `meter_id=${env.seed.meterId}`, 2);
      expect(byId(listed)).toEqual(byId(expected));
      const newestFirst = [...expected].sort((a, b) =>
        (b.modified_at ?? "").localeCompare(a.modified_at ?? ""),
      );
      expect(listed.map((r) => r.id)).toEqual(newestFirst.map((r) => r.id));
      const oldestFirst = await listAll(env.call, `sorting=modified_at`, 3);
      expect(oldestFirst.map((r) => r.id)).toEqual(newestFirst.map((r) => r.id).reverse());
    });

  it("sorts by balance, filters by customer and external id, and pages", async () => {
    const env = await scenario();
    const expected = reference(env);
    const byBalance = await listAll(env.call, "sorting=balance&sorting=-modified_at", 4);
    const sorted = [...expected].sort(
      (a, b) => a.balance - b.balance || (b.modified_at ?? "").localeCompare(a.modified_at ?? ""),
    );
    expect(byBalance.map(pick)).toEqual(sorted.map(pick));
    const one = await listAll(env.call, `customer_id=${env.customers[2]}`, 10);
    expect(one.map(pick)).toEqual(expected.filter((r) => r.customer_id === env.customers[2]));
    const ext = await listAll(env.call, "external_customer_id=ext-1", 10);
    expect(ext.map((r) => r.customer_id)).toEqual([env.customers[3]]);
    const page = await env.call("GET", "/v1/customer-meters/?limit=3&page=3");
    expect(page.body.pagination).toEqual({ total_count: expected.length, max_page: 3 });
    expect(page.body.items).toHaveLength(expected.length - 6);
    const get = await env.call("GET", `/v1/customer-meters/${expected[4]!.id}`);
    expect(pick(get.body)).toEqual(expected[4]);
  });
});
