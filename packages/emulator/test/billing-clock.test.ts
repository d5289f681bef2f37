import { afterEach, describe, expect, it } from "vitest";
import { advance, benefit, checkoutAndPay, product } from "./commerce/buy.js";
import { ALL_EVENT_TYPES, startReceiver, type Receiver } from "./commerce/receiver.js";
import { dispatcherOf } from "../src/resources/webhooks/dispatcher.js";
import { webhookEvents } from "../src/resources/webhooks/store.js";
import { demoEmulator } from "./helpers.js";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function setup() {
  const harness = demoEmulator();
  const receiver = await startReceiver();
  cleanup.push(
    () => harness.emulator.close(),
    () => receiver.close(),
  );
  await harness.call("POST", "/v1/webhooks/endpoints", {
    body: { url: receiver.url, format: "raw", events: [...ALL_EVENT_TYPES] },
  });
  /** Resolves once the dispatcher has no event pending and nothing in flight. */
  async function delivered(): Promise<void> {
    const events = webhookEvents(harness.emulator.context);
    await receiver.until(
      () => events.findBy("status", "pending").length === 0,
      "no webhook event left pending",
    );
    await dispatcherOf(harness.emulator.context).idle();
  }
  return { ...harness, receiver, delivered };
}

/** The customer a payload is about (the demo customer's renewals run on the same clock). */
function customerOf(body: string): string | undefined {
  const { type, data } = JSON.parse(body) as { type: string; data: Record<string, unknown> };
  if (type.startsWith("customer.")) return data.id as string;
  return data.customer_id as string | undefined;
}

/** Webhook types about `customerId` since `from`, once the last expected one has arrived and nothing is left to deliver. */
async function typesSince(
  { receiver, delivered }: { receiver: Receiver; delivered: () => Promise<void> },
  from: number,
  customerId: string,
  last: string,
  count = 1,
) {
  const mine = () =>
    receiver
      .accepted()
      .slice(from)
      .filter((r) => customerOf(r.body) === customerId)
      .map((r) => (JSON.parse(r.body) as { type: string }).type);
  await receiver.until(() => mine().filter((t) => t === last).length >= count);
  // Then everything the dispatcher had queued went out: no pause guessed at.
  await delivered();
  return mine();
}

const about = (moved: { happened: { kind: string; id: string }[] }, id: string | null) =>
  moved.happened.filter((h) => h.id === id).map((h) => h.kind);

const validate = (call: ReturnType<typeof demoEmulator>["call"], key: string, org: string) =>
  call("POST", "/v1/customer-portal/license-keys/validate", {
    token: null,
    body: { key, organization_id: org },
  });

describe("the billing clock", () => {
  it("a monthly subscription advanced 3 months cycles 3 times with the right credits and webhooks", async () => {
    const harness = await setup();
    const { call, seed, receiver } = harness;
    const credits = await benefit(call, {
      type: "meter_credit",
      description: "40 calls, rolling over",
      properties: { meter_id: seed.meterId, units: 40, rollover: true },
    });
    const plan = await product(call, { recurring: true, benefits: [credits.id] });
    const bought = await checkoutAndPay(call, plan.id, { externalId: "clock-user" });
    const customer = bought.customer_id;
    // Use 15 of 40 in the first period: 25 are left to roll over.
    const events = Array.from({ length: 15 }, (_, i) => ({
      name: "tool_call",
      external_customer_id: "clock-user",
      external_id: `clock-${i}`,
    }));
    expect((await call("POST", "/v1/events/ingest", { body: { events } })).status).toBe(200);
    await receiver.until(() => receiver.types().includes("customer.state_changed"));
    const from = receiver.accepted().length;

    const moved = await advance(call, { months: 3 });
    expect(about(moved, bought.subscription_id)).toEqual([
      "subscription.renewal",
      "subscription.renewal",
      "subscription.renewal",
    ]);
    const orders = await call(
      "GET",
      `/v1/orders/?subscription_id=${bought.subscription_id}&sorting=created_at`,
    );
    expect(orders.body.items.map((o: { billing_reason: string }) => o.billing_reason)).toEqual([
      "subscription_create",
      "subscription_cycle",
      "subscription_cycle",
      "subscription_cycle",
    ]);
    expect(orders.body.items.every((o: { status: string }) => o.status === "paid")).toBe(true);
    const sub = await call("GET", `/v1/subscriptions/${bought.subscription_id}`);
    const start = new Date(sub.body.started_at);
    const expectedStart = new Date(start);
    expectedStart.setUTCMonth(start.getUTCMonth() + 3);
    expect(sub.body.current_period_start.slice(0, 10)).toBe(
      expectedStart.toISOString().slice(0, 10),
    );
    expect(sub.body.status).toBe("active");

    // Cycle 1 carried min(25 left, 40 last credited) = 25 and credited 40 again; cycles 2
    // and 3 carried the whole 65 capped to 40, then 40: 80 credited, nothing consumed.
    const meter = await call(
      "GET",
      `/v1/customer-meters/?customer_id=${customer}&meter_id=${seed.meterId}`,
    );
    expect(meter.body.items[0]).toMatchObject({
      consumed_units: 0,
      credited_units: 80,
      balance: 80,
    });

    const types = await typesSince(harness, from, customer, "customer.state_changed", 3);
    const perCycle = [
      "subscription.updated",
      "subscription.cycled",
      "order.created",
      "order.paid",
      "order.updated",
      "benefit_grant.cycled",
      "customer.state_changed",
    ];
    expect(types).toEqual([...perCycle, ...perCycle, ...perCycle]);
  });

  it("a 30-day license key expires on day 30", async () => {
    const { call, seed } = await setup();
    const keys = await benefit(call, {
      type: "license_keys",
      description: "30 days",
      properties: { prefix: "TRIAL", expires: { ttl: 30, timeframe: "day" } },
    });
    const pack = await product(call, { benefits: [keys.id] });
    const bought = await checkoutAndPay(call, pack.id);
    const list = await call("GET", `/v1/license-keys/?benefit_id=${keys.id}`);
    const key = list.body.items[0].key as string;
    expect(list.body.items[0].customer_id).toBe(bought.customer_id);

    await advance(call, { days: 29, hours: 23 });
    expect((await validate(call, key, seed.organizationId)).status).toBe(200);
    await advance(call, { hours: 1 });
    const expired = await validate(call, key, seed.organizationId);
    expect(expired.status).toBe(404);
    expect(expired.body).toEqual({ error: "ResourceNotFound", detail: "License key has expired." });
  });

  it("a cancellation keeps the benefits until the period ends, then revokes them", async () => {
    const harness = await setup();
    const { call, seed, receiver } = harness;
    const keys = await benefit(call, { type: "license_keys", description: "Pro", properties: {} });
    const plan = await product(call, { recurring: true, benefits: [keys.id] });
    const bought = await checkoutAndPay(call, plan.id);
    const key = (await call("GET", `/v1/license-keys/?benefit_id=${keys.id}`)).body.items[0].key;
    await typesSince(harness, 0, bought.customer_id, "customer.state_changed");
    const from = receiver.accepted().length;

    const canceled = await call("PATCH", `/v1/subscriptions/${bought.subscription_id}`, {
      body: { cancel_at_period_end: true, customer_cancellation_reason: "too_expensive" },
    });
    expect(canceled.body).toMatchObject({
      status: "active",
      cancel_at_period_end: true,
      ends_at: canceled.body.current_period_end,
      customer_cancellation_reason: "too_expensive",
    });
    await advance(call, { days: 27 });
    expect((await validate(call, key, seed.organizationId)).status).toBe(200);

    const moved = await advance(call, { days: 5 });
    expect(about(moved, bought.subscription_id)).toEqual(["subscription.end"]);
    const ended = await call("GET", `/v1/subscriptions/${bought.subscription_id}`);
    expect(ended.body).toMatchObject({
      status: "canceled",
      ended_at: canceled.body.current_period_end,
    });
    expect((await validate(call, key, seed.organizationId)).body.detail).toBe(
      "License key is no longer active.",
    );
    const orders = await call("GET", `/v1/orders/?subscription_id=${bought.subscription_id}`);
    expect(orders.body.items).toHaveLength(1);

    const types = await typesSince(harness, from, bought.customer_id, "customer.state_changed", 2);
    expect(types).toEqual([
      "subscription.updated",
      "subscription.canceled",
      "customer.state_changed",
      "subscription.updated",
      "subscription.revoked",
      "benefit_grant.revoked",
      "customer.state_changed",
    ]);
  });

  it("a trial grants at once and bills its first order when it ends", async () => {
    const { call } = await setup();
    const keys = await benefit(call, {
      type: "license_keys",
      description: "Trial",
      properties: {},
    });
    const plan = await product(call, { recurring: true, benefits: [keys.id], trialDays: 7 });
    const bought = await checkoutAndPay(call, plan.id);
    const sub = await call("GET", `/v1/subscriptions/${bought.subscription_id}`);
    expect(sub.body).toMatchObject({ status: "trialing" });
    expect(sub.body.trial_end).toBe(sub.body.current_period_end);
    expect(
      (await call("GET", `/v1/license-keys/?benefit_id=${keys.id}`)).body.items[0].status,
    ).toBe("granted");
    expect((await call("GET", `/v1/orders/?subscription_id=${sub.body.id}`)).body.items).toEqual(
      [],
    );

    const moved = await advance(call, { days: 7, minutes: 1 });
    expect(about(moved, bought.subscription_id)).toEqual(["subscription.trial_end"]);
    const after = await call("GET", `/v1/subscriptions/${sub.body.id}`);
    expect(after.body.status).toBe("active");
    const orders = await call("GET", `/v1/orders/?subscription_id=${sub.body.id}`);
    expect(orders.body.items.map((o: { billing_reason: string }) => o.billing_reason)).toEqual([
      "subscription_cycle",
    ]);
  });

  it("expires open checkouts after 24 hours with checkout.expired", async () => {
    const harness = await setup();
    const { call, seed, receiver } = harness;
    const open = await call("POST", "/v1/checkouts/", { body: { products: [seed.productId] } });
    const early = await advance(call, { hours: 23, minutes: 59 });
    expect(early.happened).toEqual([]);
    expect((await call("GET", `/v1/checkouts/${open.body.id}`)).body.status).toBe("open");
    const moved = await advance(call, { minutes: 2 });
    expect(moved.happened).toEqual([
      expect.objectContaining({ kind: "checkout.expiry", id: open.body.id }),
    ]);
    expect((await call("GET", `/v1/checkouts/${open.body.id}`)).body.status).toBe("expired");
    const gone = await call("GET", `/v1/checkouts/client/${open.body.client_secret}`, {
      token: null,
    });
    expect(gone.body.status).toBe("expired");
    await receiver.until(() => receiver.types().includes("checkout.expired"));
  });
});
