import { describe, expect, it } from "vitest";
import { advance } from "./commerce/buy.js";
import { demoEmulator } from "./helpers.js";

type Call = ReturnType<typeof demoEmulator>["call"];

const toolCalls = (n: number, who: Record<string, string>) => ({
  events: Array.from({ length: n }, () => ({ name: "tool_call", ...who })),
});

async function activeMeter(call: Call, path: string) {
  const state = await call("GET", path);
  expect(state.status).toBe(200);
  return state.body.active_meters[0] as
    | { consumed_units: number; credited_units: number; balance: number; meter_id: string }
    | undefined;
}

describe("meter credits and balances", () => {
  it("credits on grant, consumes on usage, takes back on revoke, restarts at the renewal (grants through the control plane, renewal through the clock)", async () => {
    // Reads balances right after ingesting: opts out of Polar's debounced recompute.
    const { call, seed } = demoEmulator({ instantBalances: true });
    const control = async (path: string, body: Record<string, unknown>) => {
      const res = await call("POST", `/__emulator/${path}`, { body });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    };
    const state = `/v1/customers/${seed.customerId}/state`;
    expect(await activeMeter(call, state)).toMatchObject({
      meter_id: seed.meterId,
      credited_units: 100,
      consumed_units: 0,
      balance: 100,
    });
    await call("POST", "/v1/events/ingest", {
      body: toolCalls(30, { customer_id: seed.customerId }),
    });
    await call("POST", "/v1/events/ingest", {
      body: toolCalls(5, { external_customer_id: seed.externalCustomerId }),
    });
    expect(await activeMeter(call, state)).toMatchObject({ consumed_units: 35, balance: 65 });

    // The seed's credits are its subscription's grant.
    const subscription = (await call("GET", `/v1/subscriptions/?customer_id=${seed.customerId}`))
      .body.items[0];
    const target = {
      customer_id: seed.customerId,
      benefit_id: seed.benefitIds.meterCredit,
      subscription_id: subscription.id as string,
    };
    await control("benefit-grants/revoke", target);
    // Credits never go below zero; the balance does (Polar never blocks).
    expect(await activeMeter(call, state)).toMatchObject({ credited_units: 0, balance: -35 });
    await control("benefit-grants", target);
    expect(await activeMeter(call, state)).toMatchObject({ credited_units: 100, balance: 65 });

    // The monthly renewal resets the meter and credits the units again (no rollover).
    await advance(call, { days: 31 });
    expect(await activeMeter(call, state)).toMatchObject({
      credited_units: 100,
      consumed_units: 0,
      balance: 100,
    });
    await call("POST", "/v1/events/ingest", {
      body: toolCalls(2, { customer_id: seed.customerId }),
    });
    expect(await activeMeter(call, state)).toMatchObject({ consumed_units: 2, balance: 98 });

    const events = await call(
      "GET",
      `/v1/events/?source=system&customer_id=${seed.customerId}&sorting=timestamp&limit=100`,
    );
    const names = (events.body.items as { name: string; metadata: { units?: number } }[]).map(
      (e) => `${e.name}${e.metadata.units === undefined ? "" : `:${e.metadata.units}`}`,
    );
    expect(names.slice(-9)).toEqual([
      "meter.credited:100",
      "benefit.revoked",
      "meter.credited:-100",
      "benefit.granted",
      "meter.credited:100",
      // The renewal cycles both benefits (license key and credits), then resets and credits.
      "benefit.cycled",
      "benefit.cycled",
      "meter.reset",
      "meter.credited:100",
    ]);
  });

  it("counts events sent with an external id for a customer created later (created over the API, granted through the control plane)", async () => {
    const { call, seed } = demoEmulator({ instantBalances: true });
    await call("POST", "/v1/events/ingest", {
      body: toolCalls(7, { external_customer_id: "late-user" }),
    });
    const before = await call("GET", "/v1/customers/external/late-user/state");
    expect(before.status).toBe(404);
    const created = await call("POST", "/v1/customers/", {
      body: { email: "late@example.com", external_id: "late-user" },
    });
    expect(created.status).toBe(201);
    const customer = created.body as { id: string };
    const granted = await call("POST", "/__emulator/benefit-grants", {
      body: { customer_id: customer.id, benefit_id: seed.benefitIds.meterCredit },
    });
    expect(granted.status).toBe(201);
    expect(await activeMeter(call, "/v1/customers/external/late-user/state")).toMatchObject({
      consumed_units: 7,
      credited_units: 100,
      balance: 93,
    });
    const meters = await call("GET", `/v1/customer-meters/?customer_id=${customer.id}`);
    expect(meters.body.items).toHaveLength(1);
    expect(meters.body.items[0]).toMatchObject({
      customer_id: customer.id,
      consumed_units: 7,
      balance: 93,
    });
    const one = await call("GET", `/v1/customer-meters/${meters.body.items[0].id}`);
    expect(one.body).toMatchObject({ meter_id: seed.meterId, credited_units: 100 });
  });

  it("shapes customer state as the document says", async () => {
    const { call, seed } = demoEmulator();
    const res = await call("GET", `/v1/customers/external/${seed.externalCustomerId}/state`);
    expect(res.body).toMatchObject({
      id: seed.customerId,
      type: "individual",
      // The demo customer bought the demo product through a checkout (Emulator III).
      active_subscriptions: [{ product_id: seed.productId, status: "active" }],
    });
    const types = (res.body.granted_benefits as { benefit_type: string }[])
      .map((g) => g.benefit_type)
      .sort();
    expect(types).toEqual(["license_keys", "meter_credit"]);
    const credit = (
      res.body.granted_benefits as { benefit_type: string; properties: object }[]
    ).find((g) => g.benefit_type === "meter_credit");
    expect(credit?.properties).toMatchObject({
      last_credited_meter_id: seed.meterId,
      last_credited_units: 100,
    });
  });
});
