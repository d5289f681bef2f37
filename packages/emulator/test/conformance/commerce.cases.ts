import { expect } from "vitest";
import type { Conformance, ConformanceCase } from "./harness.js";

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

/** A product of the organization, one-time or monthly, priced 1500 cents. */
const newProduct = (h: Conformance, recurring: boolean) =>
  h.latest.products.create({
    name: unique("Conformance product"),
    ...(recurring ? { recurring_interval: "month" as const } : {}),
    prices: [{ amount_type: "fixed", price_amount: 1500, price_currency: "usd" }],
  });

/** A paid checkout (test confirmation token), made through the latest SDK. */
export async function buy(h: Conformance, recurring: boolean) {
  const product = await newProduct(h, recurring);
  const checkout = await h.latest.checkouts.create({
    products: [product.id],
    customer_email: `${unique("buyer")}@example.com`,
    external_customer_id: unique("ext"),
  });
  const confirmed = await h.latest.checkouts.clientConfirm(checkout.client_secret, {
    confirmation_token_id: "tok_visa",
  });
  const orders = await h.latest.orders.list({ checkout_id: checkout.id });
  return {
    product,
    checkout: confirmed,
    customerId: confirmed.customer_id!,
    order: orders.items[0]!,
  };
}

async function subscribed(h: Conformance) {
  const bought = await buy(h, true);
  const subs = await h.latest.subscriptions.list({ customer_id: bought.customerId });
  return { ...bought, subscription: subs.items[0]! };
}

async function openCheckout(h: Conformance) {
  const product = await newProduct(h, false);
  return h.latest.checkouts.create({ products: [product.id] });
}

const endpoint = (h: Conformance) =>
  h.latest.webhooks.createWebhookEndpoint({
    url: "http://127.0.0.1:9/unreachable",
    format: "raw",
    events: ["order.paid"],
  });

export const cases: ConformanceCase[] = [
  {
    operationId: "checkouts:create",
    latest: async (h) => {
      const product = await newProduct(h, false);
      const checkout = await h.latest.checkouts.create({ products: [product.id] });
      expect(checkout).toMatchObject({ status: "open", amount: 1500, product_id: product.id });
      expect(checkout.url).toBe(`${h.url}/checkout/${checkout.client_secret}`);
    },
    strict: async (h) => {
      const product = await newProduct(h, true);
      const checkout = await h.strict.checkouts.create({ products: [product.id] });
      expect(checkout.status).toBe("open");
      expect(checkout.totalAmount).toBe(1500);
    },
  },
  {
    operationId: "checkouts:list",
    latest: async (h) => {
      const checkout = await openCheckout(h);
      const page = await h.latest.checkouts.list({ status: "open", limit: 100 });
      expect(page.items.some((c) => c.id === checkout.id)).toBe(true);
    },
    strict: async (h) => {
      const checkout = await openCheckout(h);
      const page = await h.strict.checkouts.list({ productId: checkout.product_id, limit: 100 });
      expect(page.result.items.map((c) => c.id)).toContain(checkout.id);
    },
  },
  {
    operationId: "checkouts:get",
    latest: async (h) => {
      const checkout = await openCheckout(h);
      expect((await h.latest.checkouts.get(checkout.id)).client_secret).toBe(
        checkout.client_secret,
      );
    },
    strict: async (h) => {
      const checkout = await openCheckout(h);
      expect((await h.strict.checkouts.get({ id: checkout.id })).id).toBe(checkout.id);
    },
  },
  {
    operationId: "checkouts:update",
    latest: async (h) => {
      const checkout = await openCheckout(h);
      const updated = await h.latest.checkouts.update(checkout.id, {
        customer_email: "someone@example.com",
        metadata: { source: "conformance" },
      });
      expect(updated).toMatchObject({
        customer_email: "someone@example.com",
        metadata: { source: "conformance" },
      });
    },
    strict: async (h) => {
      const checkout = await openCheckout(h);
      const updated = await h.strict.checkouts.update({
        id: checkout.id,
        checkoutUpdate: { customerName: "Jane" },
      });
      expect(updated.customerName).toBe("Jane");
    },
  },
  {
    operationId: "checkouts:client_get",
    latest: async (h) => {
      const checkout = await openCheckout(h);
      const seen = await h.latest.checkouts.clientGet(checkout.client_secret);
      expect(seen.organization.id).toBe(h.seed.organizationId);
    },
    strict: async (h) => {
      const checkout = await openCheckout(h);
      const seen = await h.strict.checkouts.clientGet({ clientSecret: checkout.client_secret });
      expect(seen.id).toBe(checkout.id);
    },
  },
  {
    operationId: "checkouts:client_update",
    latest: async (h) => {
      const checkout = await openCheckout(h);
      const seen = await h.latest.checkouts.clientUpdate(checkout.client_secret, {
        customer_email: "buyer@example.com",
      });
      expect(seen.customer_email).toBe("buyer@example.com");
    },
    strict: async (h) => {
      const checkout = await openCheckout(h);
      const seen = await h.strict.checkouts.clientUpdate({
        clientSecret: checkout.client_secret,
        checkoutUpdatePublic: { customerName: "Buyer" },
      });
      expect(seen.customerName).toBe("Buyer");
    },
  },
  {
    operationId: "checkouts:client_confirm",
    latest: async (h) => {
      const { checkout, order } = await buy(h, false);
      expect(checkout.status).toBe("confirmed");
      expect((await h.latest.checkouts.get(checkout.id)).status).toBe("succeeded");
      expect(checkout.customer_session_token).toMatch(/^polar_cst_/);
      expect(order).toMatchObject({
        status: "paid",
        billing_reason: "purchase",
        total_amount: 1500,
      });
    },
    strict: async (h) => {
      const checkout = await openCheckout(h);
      const confirmed = await h.strict.checkouts.clientConfirm({
        clientSecret: checkout.client_secret,
        checkoutConfirmStripe: {
          customerEmail: `${unique("s")}@example.com`,
          confirmationTokenId: "tok_visa",
        },
      });
      expect(confirmed.status).toBe("confirmed");
      expect((await h.strict.checkouts.get({ id: checkout.id })).status).toBe("succeeded");
    },
  },
  {
    operationId: "checkout-links:create",
    latest: async (h) => {
      const product = await newProduct(h, false);
      const link = await h.latest.checkoutLinks.create({
        payment_processor: "stripe",
        products: [product.id],
        label: "conformance",
      });
      expect(link.url).toBe(`${h.url}/buy/${link.client_secret}`);
    },
    strict: async (h) => {
      const product = await newProduct(h, false);
      const link = await h.strict.checkoutLinks.create({
        paymentProcessor: "stripe",
        productId: product.id,
      });
      expect(link.products[0]?.id).toBe(product.id);
    },
  },
  ...(["list", "get", "update", "delete"] as const).map((verb): ConformanceCase => ({
    operationId: `checkout-links:${verb}`,
    latest: async (h) => {
      const product = await newProduct(h, false);
      const link = await h.latest.checkoutLinks.create({
        payment_processor: "stripe",
        products: [product.id],
      });
      if (verb === "list")
        expect(
          (await h.latest.checkoutLinks.list({ limit: 100 })).items.map((l) => l.id),
        ).toContain(link.id);
      if (verb === "get") expect((await h.latest.checkoutLinks.get(link.id)).id).toBe(link.id);
      if (verb === "update")
        expect((await h.latest.checkoutLinks.update(link.id, { label: "renamed" })).label).toBe(
          "renamed",
        );
      if (verb === "delete") await h.latest.checkoutLinks.delete(link.id);
    },
    strict: async (h) => {
      const product = await newProduct(h, false);
      const link = await h.strict.checkoutLinks.create({
        paymentProcessor: "stripe",
        products: [product.id],
      });
      if (verb === "list")
        expect(
          (await h.strict.checkoutLinks.list({ productId: product.id })).result.items[0]?.id,
        ).toBe(link.id);
      if (verb === "get")
        expect((await h.strict.checkoutLinks.get({ id: link.id })).id).toBe(link.id);
      if (verb === "update")
        expect(
          (await h.strict.checkoutLinks.update({ id: link.id, checkoutLinkUpdate: { label: "x" } }))
            .label,
        ).toBe("x");
      if (verb === "delete") await h.strict.checkoutLinks.delete({ id: link.id });
    },
  })),
  {
    operationId: "orders:list",
    latest: async (h) => {
      const { order, customerId } = await buy(h, false);
      const page = await h.latest.orders.list({ customer_id: customerId });
      expect(page.items.map((o) => o.id)).toEqual([order.id]);
    },
    strict: async (h) => {
      const { order, customerId } = await buy(h, true);
      const page = await h.strict.orders.list({ customerId });
      expect(page.result.items[0]?.id).toBe(order.id);
      expect(page.result.items[0]?.billingReason).toBe("subscription_create");
    },
  },
  {
    operationId: "orders:get",
    latest: async (h) => {
      const { order } = await buy(h, false);
      expect((await h.latest.orders.get(order.id)).paid).toBe(true);
    },
    strict: async (h) => {
      const { order } = await buy(h, false);
      expect((await h.strict.orders.get({ id: order.id })).status).toBe("paid");
    },
  },
  {
    operationId: "orders:update",
    latest: async (h) => {
      const { order } = await buy(h, false);
      const updated = await h.latest.orders.update(order.id, { billing_name: "ACME Inc." });
      expect(updated.billing_name).toBe("ACME Inc.");
    },
    strict: async (h) => {
      const { order } = await buy(h, false);
      const updated = await h.strict.orders.update({
        id: order.id,
        orderUpdate: { billingName: "ACME" },
      });
      expect(updated.billingName).toBe("ACME");
    },
  },
  ...(["generate_invoice", "invoice"] as const).map((verb): ConformanceCase => ({
    operationId: `orders:${verb}`,
    latest: async (h) => {
      const { order } = await buy(h, false);
      await h.latest.orders.update(order.id, {
        billing_name: "ACME",
        billing_address: { country: "FR" },
      });
      await h.latest.orders.generateInvoice(order.id);
      if (verb === "invoice")
        expect((await h.latest.orders.invoice(order.id)).url).toContain(order.id);
    },
    strict: async (h) => {
      const { order } = await buy(h, false);
      await h.strict.orders.update({
        id: order.id,
        orderUpdate: { billingName: "ACME", billingAddress: { country: "FR" } },
      });
      await h.strict.orders.generateInvoice({ id: order.id });
      if (verb === "invoice")
        expect((await h.strict.orders.invoice({ id: order.id })).url).toContain(order.id);
    },
  })),
  {
    operationId: "orders:receipt",
    latest: async (h) => {
      const { order } = await buy(h, false);
      expect((await h.latest.orders.receipt(order.id))?.url).toContain(
        `/orders/${order.id}/receipt`,
      );
    },
    strict: async (h) => {
      const { order } = await buy(h, false);
      expect((await h.strict.orders.receipt({ id: order.id }))?.url).toContain(order.id);
    },
  },
  {
    operationId: "subscriptions:list",
    latest: async (h) => {
      const { subscription, customerId } = await subscribed(h);
      const page = await h.latest.subscriptions.list({ customer_id: customerId, active: true });
      expect(page.items.map((s) => s.id)).toEqual([subscription.id]);
    },
    strict: async (h) => {
      const { subscription: sub, customerId } = await subscribed(h);
      const page = await h.strict.subscriptions.list({ customerId });
      expect(page.result.items[0]?.id).toBe(sub.id);
    },
  },
  {
    operationId: "subscriptions:get",
    latest: async (h) => {
      const { subscription: sub } = await subscribed(h);
      expect((await h.latest.subscriptions.get(sub.id)).status).toBe("active");
    },
    strict: async (h) => {
      const { subscription: sub } = await subscribed(h);
      expect((await h.strict.subscriptions.get({ id: sub.id })).recurringInterval).toBe("month");
    },
  },
  {
    operationId: "subscriptions:update",
    latest: async (h) => {
      const { subscription: sub } = await subscribed(h);
      const canceled = await h.latest.subscriptions.update(sub.id, { cancel_at_period_end: true });
      expect(canceled).toMatchObject({
        cancel_at_period_end: true,
        ends_at: sub.current_period_end,
      });
      const back = await h.latest.subscriptions.update(sub.id, { cancel_at_period_end: false });
      expect(back).toMatchObject({ cancel_at_period_end: false, ends_at: null });
    },
    strict: async (h) => {
      const { subscription: sub } = await subscribed(h);
      const other = await newProduct(h, true);
      const moved = await h.strict.subscriptions.update({
        id: sub.id,
        subscriptionUpdate: { productId: other.id },
      });
      expect(moved.productId).toBe(other.id);
    },
  },
  {
    operationId: "subscriptions:revoke",
    latest: async (h) => {
      const { subscription: sub } = await subscribed(h);
      const revoked = await h.latest.subscriptions.revoke(sub.id);
      expect(revoked.status).toBe("canceled");
      expect(revoked.ended_at).not.toBeNull();
    },
    strict: async (h) => {
      const { subscription: sub } = await subscribed(h);
      expect((await h.strict.subscriptions.revoke({ id: sub.id })).status).toBe("canceled");
    },
  },
  {
    operationId: "subscriptions:create",
    latest: async (h) => {
      const product = await h.latest.products.create({
        name: unique("Free plan"),
        recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_amount: 0, price_currency: "usd" }],
      });
      const sub = await h.latest.subscriptions.create({
        product_id: product.id,
        customer_id: h.seed.customerId,
      });
      expect(sub).toMatchObject({ status: "active", amount: 0 });
    },
    strict: async (h) => {
      const product = await h.latest.products.create({
        name: unique("Free plan"),
        recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_amount: 0, price_currency: "usd" }],
      });
      const sub = await h.strict.subscriptions.create({
        productId: product.id,
        customerId: h.seed.customerId,
      });
      expect(sub.status).toBe("active");
    },
  },
  {
    operationId: "subscriptions:export",
    latest: async (h) => {
      await subscribed(h);
      const csv = await h.latest.subscriptions.export();
      expect(String(csv)).toContain("Email,Created At");
    },
    strict: async (h) => {
      await subscribed(h);
      const csv = await h.strict.subscriptions.export({});
      expect(String(csv)).toContain("Email");
    },
  },
  {
    operationId: "refunds:create",
    latest: async (h) => {
      const { order } = await buy(h, false);
      const refund = await h.latest.refunds.create({
        order_id: order.id,
        reason: "customer_request",
        amount: 500,
        revoke_benefits: true,
      });
      expect(refund).toMatchObject({ status: "succeeded", amount: 500, revoke_benefits: true });
      expect((await h.latest.orders.get(order.id)).status).toBe("partially_refunded");
    },
    strict: async (h) => {
      const { order } = await buy(h, true);
      const refund = await h.strict.refunds.create({
        orderId: order.id,
        reason: "duplicate",
        amount: 1500,
      });
      expect(refund.status).toBe("succeeded");
    },
  },
  {
    operationId: "refunds:list",
    latest: async (h) => {
      const { order } = await buy(h, false);
      await h.latest.refunds.create({ order_id: order.id, reason: "other", amount: 100 });
      const page = await h.latest.refunds.list({ order_id: order.id });
      expect(page.items).toHaveLength(1);
    },
    strict: async (h) => {
      const { order } = await buy(h, false);
      await h.latest.refunds.create({ order_id: order.id, reason: "other", amount: 100 });
      const page = await h.strict.refunds.list({ orderId: order.id });
      expect(page.result.items[0]?.orderId).toBe(order.id);
    },
  },
  {
    operationId: "customer-sessions:create",
    latest: async (h) => {
      const session = await h.latest.customerSessions.create({
        external_customer_id: h.seed.externalCustomerId,
      });
      expect(session.token).toMatch(/^polar_cst_/);
      expect(session.customer_portal_url).toContain("/portal/polar-mcp-demo");
    },
    strict: async (h) => {
      const session = await h.strict.customerSessions.create({ customerId: h.seed.customerId });
      expect(session.customerId).toBe(h.seed.customerId);
    },
  },
  {
    operationId: "webhooks:create_webhook_endpoint",
    latest: async (h) => {
      const created = await endpoint(h);
      expect(created.secret).toMatch(/^whsec_/);
      expect(created).toMatchObject({ enabled: true, events: ["order.paid"] });
    },
    strict: async (h) => {
      const created = await h.strict.webhooks.createWebhookEndpoint({
        url: "http://127.0.0.1:9/unreachable",
        format: "raw",
        events: ["checkout.created"],
      });
      expect(created.enabled).toBe(true);
    },
  },
  {
    operationId: "webhooks:list_webhook_endpoints",
    latest: async (h) => {
      const created = await endpoint(h);
      const page = await h.latest.webhooks.listWebhookEndpoints({ limit: 100 });
      expect(page.items.map((e) => e.id)).toContain(created.id);
    },
    strict: async (h) => {
      await endpoint(h);
      const page = await h.strict.webhooks.listWebhookEndpoints({ limit: 100 });
      expect(page.result.items.length).toBeGreaterThan(0);
    },
  },
  {
    operationId: "webhooks:get_webhook_endpoint",
    latest: async (h) => {
      const created = await endpoint(h);
      expect((await h.latest.webhooks.getWebhookEndpoint(created.id)).url).toBe(created.url);
    },
    strict: async (h) => {
      const created = await endpoint(h);
      expect((await h.strict.webhooks.getWebhookEndpoint({ id: created.id })).id).toBe(created.id);
    },
  },
  {
    operationId: "webhooks:update_webhook_endpoint",
    latest: async (h) => {
      const created = await endpoint(h);
      const updated = await h.latest.webhooks.updateWebhookEndpoint(created.id, { enabled: false });
      expect(updated.enabled).toBe(false);
    },
    strict: async (h) => {
      const created = await endpoint(h);
      const updated = await h.strict.webhooks.updateWebhookEndpoint({
        id: created.id,
        webhookEndpointUpdate: { events: ["order.created", "order.paid"] },
      });
      expect(updated.events).toEqual(["order.created", "order.paid"]);
    },
  },
  {
    operationId: "webhooks:delete_webhook_endpoint",
    latest: async (h) => {
      const created = await endpoint(h);
      await h.latest.webhooks.deleteWebhookEndpoint(created.id);
    },
    strict: async (h) => {
      const created = await endpoint(h);
      await h.strict.webhooks.deleteWebhookEndpoint({ id: created.id });
    },
  },
  {
    operationId: "webhooks:reset_webhook_endpoint_secret",
    latest: async (h) => {
      const created = await endpoint(h);
      const reset = await h.latest.webhooks.resetWebhookEndpointSecret(created.id);
      expect(reset.secret).not.toBe(created.secret);
    },
    strict: async (h) => {
      const created = await endpoint(h);
      const reset = await h.strict.webhooks.resetWebhookEndpointSecret({ id: created.id });
      expect(reset.secret).toMatch(/^whsec_/);
    },
  },
  ...(["list_webhook_deliveries", "redeliver_webhook_event"] as const).map(
    (verb): ConformanceCase => ({
      operationId: `webhooks:${verb}`,
      latest: async (h) => {
        const created = await endpoint(h);
        await buy(h, false);
        const deliveries = await waitForDeliveries(h, created.id);
        expect(deliveries[0]?.webhook_event.type).toBe("order.paid");
        if (verb === "redeliver_webhook_event") {
          await h.latest.webhooks.updateWebhookEndpoint(created.id, { enabled: false });
          await h.latest.webhooks.redeliverWebhookEvent(deliveries[0]!.webhook_event.id);
        }
        await h.latest.webhooks.deleteWebhookEndpoint(created.id);
      },
      strict: async (h) => {
        const created = await endpoint(h);
        await buy(h, false);
        await waitForDeliveries(h, created.id);
        const page = await h.strict.webhooks.listWebhookDeliveries({ endpointId: created.id });
        expect(page.result.items[0]?.succeeded).toBe(false);
        if (verb === "redeliver_webhook_event") {
          await h.latest.webhooks.updateWebhookEndpoint(created.id, { enabled: false });
          await h.strict.webhooks.redeliverWebhookEvent({
            id: page.result.items[0]!.webhookEvent.id,
          });
        }
        await h.latest.webhooks.deleteWebhookEndpoint(created.id);
      },
    }),
  ),
];

/** The first (failed: nothing listens on port 9) attempt shows up in the deliveries log. */
async function waitForDeliveries(h: Conformance, endpointId: string) {
  for (let i = 0; i < 1000; i++) {
    const page = await h.latest.webhooks.listWebhookDeliveries({ endpoint_id: endpointId });
    if (page.items.length > 0) return page.items;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("no webhook delivery was attempted");
}

cases.push({
  operationId: "benefit-grants:list",
  latest: async (h) => {
    const page = await h.latest.benefitGrants.list({
      customer_id: h.seed.customerId,
      is_granted: true,
    });
    expect(page.items.map((g) => g.benefit_id).sort()).toEqual(
      [h.seed.benefitIds.licenseKeys, h.seed.benefitIds.meterCredit].sort(),
    );
  },
  strict: async (h) => {
    const page = await h.strict.benefitGrants.list({
      externalCustomerId: h.seed.externalCustomerId,
    });
    expect(page.result.items.length).toBeGreaterThanOrEqual(2);
  },
});
