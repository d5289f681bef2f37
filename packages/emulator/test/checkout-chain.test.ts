import { createPolar } from "@polar-sh/sdk/2026-10";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { launchBrowser } from "./commerce/browser.js";
import { ALL_EVENT_TYPES, startReceiver, type Receiver } from "./commerce/receiver.js";
import { verifyDelivery } from "./commerce/verify.js";

/**
 * The whole chain through the hosted checkout page, driven by a real headless chromium:
 * a declined card first (nothing happens), then 4242 4242 4242 4242 (order paid →
 * subscription active → benefits granted → key issued, credits added → webhooks).
 */
let running: RunningEmulator;
let receiver: Receiver;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let secret: string;
let polar: ReturnType<typeof createPolar>;

beforeAll(async () => {
  running = await startEmulator({ seed: "demo" });
  receiver = await startReceiver();
  browser = await launchBrowser();
  polar = createPolar({ accessToken: running.seed!.accessToken, baseUrl: running.url });
  const endpoint = await polar.webhooks.createWebhookEndpoint({
    url: `${receiver.url}/webhooks`,
    format: "raw",
    events: [...ALL_EVENT_TYPES],
  });
  secret = endpoint.secret;
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await receiver?.close();
});

/** Creates a product with a 30-day license key and 50 credits of the demo meter. */
async function productWithBenefits(recurring: boolean) {
  const seed = running.seed!;
  const key = await polar.benefits.create({
    type: "license_keys",
    description: recurring ? "Pro key" : "Pack key",
    properties: { prefix: "CHAIN", expires: { ttl: 30, timeframe: "day" } },
  });
  const credits = await polar.benefits.create({
    type: "meter_credit",
    description: "50 tool calls",
    properties: { meter_id: seed.meterId, units: 50, rollover: false },
  });
  const product = await polar.products.create({
    name: recurring ? "Chain Pro" : "Chain Pack",
    ...(recurring ? { recurring_interval: "month" as const } : {}),
    prices: [{ amount_type: "fixed", price_amount: 1200, price_currency: "usd" }],
  });
  await polar.products.updateBenefits(product.id, { benefits: [key.id, credits.id] });
  return { product, keyBenefit: key, creditBenefit: credits };
}

/** Fills the hosted form and submits it. */
async function pay(url: string, card: string, email: string) {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.fill("#email", email);
  await page.fill("#name", "Chain Buyer");
  await page.fill("#card-number", card);
  await page.fill("#card-expiry", "12/34");
  await page.fill("#card-cvc", "123");
  await Promise.all([page.waitForLoadState("load"), page.click("#pay")]);
  return page;
}

async function verifiedEvents(from: number) {
  const out = [];
  for (const delivery of receiver.accepted().slice(from))
    out.push(await verifyDelivery(delivery, secret));
  return out;
}

describe("hosted checkout through a real browser", () => {
  it("one-time product: declined card changes nothing, 4242 pays and grants", async () => {
    const { product, keyBenefit, creditBenefit } = await productWithBenefits(false);
    const email = "pack-buyer@example.com";
    const checkout = await polar.checkouts.create({
      products: [product.id],
      external_customer_id: "pack-buyer",
      // The document's `uri` format refuses raw braces; Polar's placeholder, encoded.
      success_url: `${receiver.url}/thanks?checkout_id=%7BCHECKOUT_ID%7D`,
    });
    await receiver.until(() => receiver.types().includes("checkout.created"));
    const start = receiver.accepted().length;

    const declined = await pay(checkout.url, "4000 0000 0000 0002", email);
    expect(await declined.textContent("#checkout-error")).toBe("Your card was declined.");
    expect((await polar.checkouts.get(checkout.id)).status).toBe("open");
    expect((await polar.orders.list({ checkout_id: checkout.id })).items).toEqual([]);
    await declined.close();

    const paid = await pay(checkout.url, "4242 4242 4242 4242", email);
    expect(paid.url()).toBe(`${receiver.url}/thanks?checkout_id=${checkout.id}`);
    expect(await paid.textContent("#landed")).toBe("Thanks");
    await paid.close();

    const done = await polar.checkouts.get(checkout.id);
    expect(done).toMatchObject({ status: "succeeded", customer_email: email });
    const customer = await polar.customers.getExternal("pack-buyer");
    expect(customer.email).toBe(email);
    const orders = await polar.orders.list({ customer_id: customer.id });
    expect(orders.items).toHaveLength(1);
    expect(orders.items[0]).toMatchObject({
      status: "paid",
      paid: true,
      billing_reason: "purchase",
      total_amount: 1200,
      subscription_id: null,
      checkout_id: checkout.id,
    });
    expect((await polar.subscriptions.list({ customer_id: customer.id })).items).toEqual([]);

    const grants = await polar.benefitGrants.list({ customer_id: customer.id, is_granted: true });
    expect(grants.items.map((g) => g.benefit_id).sort()).toEqual(
      [keyBenefit.id, creditBenefit.id].sort(),
    );
    expect(grants.items.every((g) => g.order_id === orders.items[0]!.id)).toBe(true);
    const keys = await polar.licenseKeys.list({ benefit_id: keyBenefit.id });
    expect(keys.items).toHaveLength(1);
    expect(keys.items[0]).toMatchObject({ customer_id: customer.id, status: "granted" });
    expect(keys.items[0]!.key).toMatch(/^CHAIN-/);
    const meters = await polar.customerMeters.list({ customer_id: customer.id });
    expect(meters.items[0]).toMatchObject({ credited_units: 50, balance: 50 });

    await receiver.until(() => receiver.types().slice(start).includes("customer.state_changed"));
    const events = await verifiedEvents(start);
    expect(events.map((e) => e.type)).toEqual([
      "checkout.updated",
      "customer.created",
      "order.created",
      "order.paid",
      "order.updated",
      "benefit_grant.created",
      "benefit_grant.created",
      "checkout.updated",
      "customer.state_changed",
    ]);
    expect(events[0]!.data).toMatchObject({ id: checkout.id, status: "confirmed" });
    expect(events[2]!.data).toMatchObject({ status: "pending", billing_reason: "purchase" });
    expect(events[3]!.data).toMatchObject({ status: "paid", paid: true });
    expect(events[7]!.data).toMatchObject({ id: checkout.id, status: "succeeded" });
    const keyGrant = events.find(
      (e) =>
        e.type === "benefit_grant.created" &&
        (e.data.benefit as { type: string }).type === "license_keys",
    );
    expect(keyGrant?.data.properties).toMatchObject({ license_key_id: keys.items[0]!.id });
    const state = events.at(-1)!.data as {
      granted_benefits: unknown[];
      active_subscriptions: unknown[];
    };
    expect(state.granted_benefits).toHaveLength(2);
    expect(state.active_subscriptions).toEqual([]);
  });

  it("subscription: 4242 starts an active subscription whose benefits are granted", async () => {
    const { product, keyBenefit, creditBenefit } = await productWithBenefits(true);
    const created = receiver.types().filter((t) => t === "checkout.created").length;
    const checkout = await polar.checkouts.create({ products: [product.id] });
    await receiver.until(
      () => receiver.types().filter((t) => t === "checkout.created").length > created,
    );
    const start = receiver.accepted().length;

    const page = await pay(checkout.url, "4242424242424242", "pro-buyer@example.com");
    // No success_url: the emulator's confirmation page.
    expect(page.url()).toBe(`${checkout.url}/confirmation`);
    expect(await page.textContent("#status")).toBe("succeeded");
    await page.close();

    const done = await polar.checkouts.get(checkout.id);
    const subscription = await polar.subscriptions.get(done.subscription_id!);
    expect(subscription).toMatchObject({
      status: "active",
      product_id: product.id,
      amount: 1200,
      recurring_interval: "month",
      cancel_at_period_end: false,
      customer_id: done.customer_id,
    });
    const orders = await polar.orders.list({ subscription_id: subscription.id });
    expect(orders.items.map((o) => o.billing_reason)).toEqual(["subscription_create"]);
    const grants = await polar.benefitGrants.list({
      customer_id: done.customer_id!,
      is_granted: true,
    });
    expect(grants.items.map((g) => g.benefit_id).sort()).toEqual(
      [keyBenefit.id, creditBenefit.id].sort(),
    );
    expect(grants.items.every((g) => g.subscription_id === subscription.id)).toBe(true);
    // Keys granted by a subscription never expire.
    const key = (await polar.licenseKeys.list({ benefit_id: keyBenefit.id })).items[0]!;
    expect(key.expires_at).toBeNull();
    const state = await polar.customers.getState(done.customer_id!);
    expect(state.active_subscriptions.map((s) => s.id)).toEqual([subscription.id]);
    expect(state.active_meters[0]).toMatchObject({ credited_units: 50, balance: 50 });

    await receiver.until(() => receiver.types().slice(start).includes("customer.state_changed"));
    const events = await verifiedEvents(start);
    expect(events.map((e) => e.type)).toEqual([
      "checkout.updated",
      "customer.created",
      "subscription.created",
      "subscription.active",
      "benefit_grant.created",
      "benefit_grant.created",
      "order.created",
      "order.paid",
      "order.updated",
      "checkout.updated",
      "customer.state_changed",
    ]);
    expect(events[2]!.data).toMatchObject({ id: subscription.id, status: "active" });
    expect(events[6]!.data).toMatchObject({
      billing_reason: "subscription_create",
      subscription_id: subscription.id,
    });
  });
});
