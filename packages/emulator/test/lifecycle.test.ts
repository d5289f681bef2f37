import { afterEach, describe, expect, it } from "vitest";
import { advanceClock } from "../src/index.js";
import { benefit, checkoutAndPay, product } from "./commerce/buy.js";
import { demoEmulator } from "./helpers.js";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

function setup() {
  const harness = demoEmulator();
  close = () => harness.emulator.close();
  return harness;
}

type Call = ReturnType<typeof demoEmulator>["call"];
const grantedBenefits = async (call: Call, customerId: string) =>
  (await call("GET", `/v1/benefit-grants/?customer_id=${customerId}&is_granted=true`)).body.items
    .map((g: { benefit_id: string }) => g.benefit_id)
    .sort();

describe("benefit grants follow the commerce lifecycle", () => {
  it("a refund with revoke_benefits revokes a one-time purchase's grants", async () => {
    const { call, seed } = setup();
    const keys = await benefit(call, { type: "license_keys", description: "Pack", properties: {} });
    const pack = await product(call, { benefits: [keys.id], price: 2000 });
    const bought = await checkoutAndPay(call, pack.id);
    const order = (await call("GET", `/v1/orders/?checkout_id=${bought.id}`)).body.items[0];
    expect(await grantedBenefits(call, bought.customer_id)).toEqual([keys.id]);

    const partial = await call("POST", "/v1/refunds/", {
      body: { order_id: order.id, reason: "customer_request", amount: 500 },
    });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({
      status: "succeeded",
      amount: 500,
      revoke_benefits: false,
    });
    let read = await call("GET", `/v1/orders/${order.id}`);
    expect(read.body).toMatchObject({
      status: "partially_refunded",
      refunded_amount: 500,
      refundable_amount: 1500,
    });
    expect(await grantedBenefits(call, bought.customer_id)).toEqual([keys.id]);

    const tooMuch = await call("POST", "/v1/refunds/", {
      body: { order_id: order.id, reason: "other", amount: 1501 },
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.detail).toBe("Refund amount exceeds remaining order balance: 1500");

    const rest = await call("POST", "/v1/refunds/", {
      body: { order_id: order.id, reason: "other", amount: 1500, revoke_benefits: true },
    });
    expect(rest.status).toBe(201);
    read = await call("GET", `/v1/orders/${order.id}`);
    expect(read.body).toMatchObject({ status: "refunded", refunded_amount: 2000 });
    expect(await grantedBenefits(call, bought.customer_id)).toEqual([]);
    const key = (await call("GET", `/v1/license-keys/?benefit_id=${keys.id}`)).body.items[0];
    expect(key.status).toBe("revoked");
    const list = await call("GET", `/v1/refunds/?order_id=${order.id}`);
    expect(list.body.items).toHaveLength(2);
    expect(seed.organizationId).toBe(order.customer.organization_id);
  });

  it("refuses revoke_benefits on a subscription's order", async () => {
    const { call } = setup();
    const plan = await product(call, { recurring: true });
    const bought = await checkoutAndPay(call, plan.id);
    const order = (await call("GET", `/v1/orders/?subscription_id=${bought.subscription_id}`)).body
      .items[0];
    const res = await call("POST", "/v1/refunds/", {
      body: { order_id: order.id, reason: "other", amount: 100, revoke_benefits: true },
    });
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual(["body", "revoke_benefits"]);
  });

  it("a product change moves the grants to the new product's benefits", async () => {
    const { call } = setup();
    const basic = await benefit(call, { type: "custom", description: "Basic", properties: {} });
    const shared = await benefit(call, { type: "custom", description: "Shared", properties: {} });
    const pro = await benefit(call, { type: "custom", description: "Pro", properties: {} });
    const small = await product(call, { recurring: true, benefits: [basic.id, shared.id] });
    const large = await product(call, {
      recurring: true,
      benefits: [shared.id, pro.id],
      price: 3000,
    });
    const bought = await checkoutAndPay(call, small.id);
    expect(await grantedBenefits(call, bought.customer_id)).toEqual([basic.id, shared.id].sort());

    const moved = await call("PATCH", `/v1/subscriptions/${bought.subscription_id}`, {
      body: { product_id: large.id },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ product_id: large.id, amount: 3000 });
    expect(await grantedBenefits(call, bought.customer_id)).toEqual([shared.id, pro.id].sort());
  });

  it("DELETE revokes at once; a revoked subscription cannot be canceled again", async () => {
    const { call } = setup();
    const keys = await benefit(call, { type: "license_keys", description: "Pro", properties: {} });
    const plan = await product(call, { recurring: true, benefits: [keys.id] });
    const bought = await checkoutAndPay(call, plan.id);
    const revoked = await call("DELETE", `/v1/subscriptions/${bought.subscription_id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: "canceled", cancel_at_period_end: false });
    expect(revoked.body.ended_at).toEqual(expect.any(String));
    expect(await grantedBenefits(call, bought.customer_id)).toEqual([]);
    const again = await call("PATCH", `/v1/subscriptions/${bought.subscription_id}`, {
      body: { cancel_at_period_end: true },
    });
    expect(again.status).toBe(403);
    expect(again.body.error).toBe("AlreadyCanceledSubscription");
  });

  it("the same benefit from a lifetime purchase survives the end of a subscription", async () => {
    const { call, emulator } = setup();
    const keys = await benefit(call, { type: "license_keys", description: "Both", properties: {} });
    const lifetime = await product(call, { benefits: [keys.id] });
    const plan = await product(call, { recurring: true, benefits: [keys.id] });
    const first = await checkoutAndPay(call, lifetime.id, { externalId: "both" });
    const second = await checkoutAndPay(call, plan.id, { customerId: first.customer_id });
    await call("PATCH", `/v1/subscriptions/${second.subscription_id}`, {
      body: { cancel_at_period_end: true },
    });
    advanceClock(emulator, { months: 1, days: 1 });
    expect((await call("GET", `/v1/subscriptions/${second.subscription_id}`)).body.status).toBe(
      "canceled",
    );
    // One grant per scope (Polar): the subscription's is revoked with it, the order's stays.
    const grants = (await call("GET", `/v1/benefit-grants/?customer_id=${first.customer_id}`)).body
      .items as {
      is_granted: boolean;
      subscription_id: string | null;
      order_id: string | null;
      properties: { license_key_id: string };
    }[];
    expect(grants).toHaveLength(2);
    const fromOrder = grants.find((g) => g.order_id !== null)!;
    const fromSubscription = grants.find((g) => g.subscription_id === second.subscription_id)!;
    expect(fromOrder).toMatchObject({ is_granted: true, subscription_id: null });
    expect(fromSubscription).toMatchObject({ is_granted: false, order_id: null });
    // Each grant owns its key; only the subscription's was revoked.
    const key = async (id: string) => (await call("GET", `/v1/license-keys/${id}`)).body.status;
    expect(await key(fromOrder.properties.license_key_id)).toBe("granted");
    expect(await key(fromSubscription.properties.license_key_id)).toBe("revoked");
  });

  it("the demo seed bought its product through a checkout", async () => {
    const { call, seed } = setup();
    const orders = await call("GET", `/v1/orders/?customer_id=${seed.customerId}`);
    expect(orders.body.items).toHaveLength(1);
    expect(orders.body.items[0]).toMatchObject({
      billing_reason: "subscription_create",
      product_id: seed.productId,
      status: "paid",
    });
    const checkout = await call("GET", `/v1/checkouts/${orders.body.items[0].checkout_id}`);
    expect(checkout.body.status).toBe("succeeded");
    expect(await grantedBenefits(call, seed.customerId)).toEqual(
      [seed.benefitIds.licenseKeys, seed.benefitIds.meterCredit].sort(),
    );
  });

  it("a discount code at checkout lowers the order and counts a redemption", async () => {
    const { call } = setup();
    const pack = await product(call, { price: 2000 });
    const discount = await call("POST", "/v1/discounts/", {
      body: {
        type: "percentage",
        name: "Launch",
        code: "LAUNCH25",
        duration: "once",
        basis_points: 2500,
      },
    });
    const checkout = await call("POST", "/v1/checkouts/", {
      body: { products: [pack.id], customer_email: "code@example.com" },
    });
    const secret = checkout.body.client_secret as string;
    const bad = await call("PATCH", `/v1/checkouts/client/${secret}`, {
      token: null,
      body: { discount_code: "NOPE" },
    });
    expect(bad.status).toBe(422);
    const applied = await call("PATCH", `/v1/checkouts/client/${secret}`, {
      token: null,
      body: { discount_code: "launch25" },
    });
    expect(applied.body).toMatchObject({ amount: 2000, discount_amount: 500, total_amount: 1500 });
    await call("POST", `/v1/checkouts/client/${secret}/confirm`, {
      body: { confirmation_token_id: "tok_visa" },
    });
    const order = (await call("GET", `/v1/orders/?checkout_id=${checkout.body.id}`)).body.items[0];
    expect(order).toMatchObject({
      subtotal_amount: 2000,
      discount_amount: 500,
      total_amount: 1500,
    });
    expect((await call("GET", `/v1/discounts/${discount.body.id}`)).body.redemptions_count).toBe(1);
  });

  it("a customer session opens the portal, where the customer cancels at period end", async () => {
    const { call } = setup();
    const plan = await product(call, { recurring: true });
    const bought = await checkoutAndPay(call, plan.id, { externalId: "portal-user" });
    const session = await call("POST", "/v1/customer-sessions/", {
      body: { external_customer_id: "portal-user" },
    });
    expect(session.status).toBe(201);
    expect(session.body.customer_portal_url).toContain("customer_session_token=polar_cst_");
    const token = session.body.token as string;
    const mine = await call("GET", "/v1/customer-portal/subscriptions/", { token });
    expect(mine.body.items.map((s: { id: string }) => s.id)).toEqual([bought.subscription_id]);
    // An organization token is not a customer session.
    expect((await call("GET", "/v1/customer-portal/subscriptions/")).status).toBe(401);
    const canceled = await call(
      "DELETE",
      `/v1/customer-portal/subscriptions/${bought.subscription_id}`,
      {
        token,
      },
    );
    expect(canceled.body).toMatchObject({ status: "active", cancel_at_period_end: true });
    const other = await checkoutAndPay(call, plan.id);
    const foreign = await call(
      "GET",
      `/v1/customer-portal/subscriptions/${other.subscription_id}`,
      {
        token,
      },
    );
    expect(foreign.status).toBe(404);
  });
});
