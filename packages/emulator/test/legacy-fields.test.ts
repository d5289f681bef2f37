import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { checkoutAndPay, product } from "./commerce/buy.js";
import { demoEmulator } from "./helpers.js";

// Fields and request forms Polar's server still honours although its document hides them
// (polarsource/polar server/polar/**/schemas.py), which the SDKs Polar's adapters pin need.
let current: ReturnType<typeof demoEmulator> | undefined;
const start = () => (current = demoEmulator());
afterEach(async () => {
  await current?.emulator.close();
  current = undefined;
});

const gravatar = (email: string) =>
  `https://www.gravatar.com/avatar/${createHash("sha256").update(email.toLowerCase()).digest("hex")}?d=404`;

describe("responses as real Polar sends them", () => {
  it("gives every customer a Gravatar avatar_url from the email, embedded ones too", async () => {
    const { call } = start();
    const created = await call("POST", "/v1/customers/", {
      body: { email: "Ada.Lovelace@Example.com", name: "Ada" },
    });
    expect(created.body.avatar_url).toBe(gravatar("Ada.Lovelace@Example.com"));
    const paid = await product(call, { recurring: true });
    const checkout = await checkoutAndPay(call, paid.id, { customerId: created.body.id });
    const subscription = await call("GET", `/v1/subscriptions/${checkout.subscription_id}`);
    expect(subscription.body.customer.avatar_url).toBe(gravatar("ada.lovelace@example.com"));
  });

  it("sends price type and recurring_interval from the product, and metered prices' meter", async () => {
    const { call } = start();
    const monthly = await product(call, { recurring: true });
    const oneTime = await product(call);
    const m = (await call("GET", `/v1/products/${monthly.id}`)).body.prices[0];
    const o = (await call("GET", `/v1/products/${oneTime.id}`)).body.prices[0];
    expect([m.type, m.recurring_interval]).toEqual(["recurring", "month"]);
    expect([o.type, o.recurring_interval]).toEqual(["one_time", null]);

    const meter = await call("POST", "/v1/meters/", {
      body: {
        name: "Tokens",
        filter: { conjunction: "and", clauses: [] },
        aggregation: { func: "count" },
      },
    });
    expect(meter.status).toBe(201);
    const metered = await call("POST", "/v1/products/", {
      body: {
        name: "Metered",
        recurring_interval: "month",
        prices: [{ amount_type: "metered_unit", meter_id: meter.body.id, unit_amount: "0.5" }],
      },
    });
    expect(metered.status).toBe(201);
    expect(metered.body.prices[0].meter).toEqual({
      id: meter.body.id,
      name: "Tokens",
      unit: meter.body.unit,
      custom_label: meter.body.custom_label,
      custom_multiplier: meter.body.custom_multiplier,
    });
  });

  it("sends the order's legacy amount, user_id, user and product_price", async () => {
    const { call } = start();
    const bought = await product(call, { price: 2500 });
    const checkout = await checkoutAndPay(call, bought.id, { email: "buyer@example.com" });
    const orders = await call("GET", `/v1/orders/?customer_id=${checkout.customer_id}`);
    const order = orders.body.items[0];
    expect(order.amount).toBe(order.net_amount);
    expect(order.amount).toBe(2500);
    expect(order.user_id).toBe(checkout.customer_id);
    expect(order.user).toMatchObject({
      id: checkout.customer_id,
      email: "buyer@example.com",
      public_name: "buyer",
      avatar_url: gravatar("buyer@example.com"),
    });
    expect(order.product_price).toMatchObject({ price_amount: 2500, type: "one_time" });
    expect(order.product_price_id).toBe(order.product_price.id);
  });

  it("sends organization notification_settings and checkout customer_external_id", async () => {
    const { call, seed } = start();
    const org = await call("GET", `/v1/organizations/${seed.organizationId}`);
    expect(org.body.notification_settings).toEqual({
      new_order: true,
      new_subscription: true,
      chargeback_prevention: true,
      subscription_renewal: false,
    });
    expect(org.body).toMatchObject({ bio: null, pledge_minimum_amount: 0 });
    const checkout = await call("POST", "/v1/checkouts/", {
      body: { products: [seed.productId], external_customer_id: "ext-42" },
    });
    expect(checkout.body.customer_external_id).toBe("ext-42");
  });

  it("issues webhook secrets as Polar's generate_token: whsec_, 37 characters, CRC-32 in base 62", async () => {
    const { call } = start();
    const endpoint = await call("POST", "/v1/webhooks/endpoints", {
      body: { url: "https://example.com/hook", format: "raw", events: ["order.paid"] },
    });
    expect(endpoint.status).toBe(201);
    const match = /^whsec_([A-Za-z0-9]{37})([A-Za-z0-9]{6})$/.exec(endpoint.body.secret);
    expect(match).not.toBeNull();
    const [, token, checksum] = match!;
    const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let n = crc32(token!);
    let expected = "";
    for (; n > 0; n = Math.floor(n / 62)) expected = digits[n % 62] + expected;
    expect(checksum).toBe(expected.padStart(6, "0"));
  });
});

describe("request forms Polar still accepts", () => {
  it("reads customer_external_id on checkout and customer-session create", async () => {
    const { call, seed } = start();
    const checkout = await call("POST", "/v1/checkouts/", {
      body: { products: [seed.productId], customer_external_id: "legacy-ext" },
    });
    expect(checkout.status).toBe(201);
    expect(checkout.body.external_customer_id).toBe("legacy-ext");
    const session = await call("POST", "/v1/customer-sessions/", {
      body: { customer_external_id: seed.externalCustomerId },
    });
    expect(session.status).toBe(201);
    expect(session.body.customer_id).toBe(seed.customerId);
  });

  it("reads checkout bodies with product_id or product_price_id", async () => {
    const { call, seed } = start();
    const byProduct = await call("POST", "/v1/checkouts/", {
      body: { product_id: seed.productId },
    });
    expect(byProduct.status).toBe(201);
    expect(byProduct.body.product_id).toBe(seed.productId);
    const priceId = (await call("GET", `/v1/products/${seed.productId}`)).body.prices[0].id;
    const byPrice = await call("POST", "/v1/checkouts/", { body: { product_price_id: priceId } });
    expect(byPrice.status).toBe(201);
    expect(byPrice.body.product_id).toBe(seed.productId);
    const unknown = await call("POST", "/v1/checkouts/", {
      body: { product_price_id: "00000000-0000-4000-8000-000000000000" },
    });
    expect(unknown.status).toBe(422);
  });

  it("stores amount_type free as a fixed price of 0", async () => {
    const { call } = start();
    const created = await call("POST", "/v1/products/", {
      body: { name: "Free tier", prices: [{ amount_type: "free", price_currency: "usd" }] },
    });
    expect(created.status).toBe(201);
    expect(created.body.prices[0]).toMatchObject({ amount_type: "fixed", price_amount: 0 });
  });

  it("accepts success_url templates, spaces, brackets and non-ASCII hosts, answering with the id", async () => {
    const { call, seed } = start();
    const checkout = await call("POST", "/v1/checkouts/", {
      body: {
        products: [seed.productId],
        success_url: "https://bücher.example/thanks page?checkout_id={CHECKOUT_ID}&tags[]=a",
        return_url: "https://example.com/back?from=[checkout]",
      },
    });
    expect(checkout.status).toBe(201);
    expect(checkout.body.success_url).toBe(
      `https://xn--bcher-kva.example/thanks%20page?checkout_id=${checkout.body.id}&tags%5B%5D=a`,
    );
    expect(checkout.body.return_url).toBe("https://example.com/back?from=%5Bcheckout%5D");
    const refused = await call("POST", "/v1/checkouts/", {
      body: { products: [seed.productId], success_url: "not a url" },
    });
    expect(refused.status).toBe(422);
  });
});
