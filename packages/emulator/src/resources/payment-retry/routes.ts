import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { HttpError, invalid, notFound } from "../../http/errors.js";
import type { OperationHandlers } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { owned, portalCustomer } from "../customer-portal/scope.js";
import { createOrder, payOrder } from "../orders/service.js";
import { orders, type OrderRecord } from "../orders/store.js";
import { cardOf, paymentMethods, recordPayment } from "../payments/store.js";
import { products } from "../products/store.js";
import { subscriptionRead } from "../subscriptions/read.js";
import { subscriptions } from "../subscriptions/store.js";
import { publishWebhook } from "../webhooks/publish.js";

/** Polar's CUSTOMER_RETRY_MAX_ATTEMPTS: a customer may retry a failed renewal 5 times. */
const MAX_CUSTOMER_RETRIES = 5;
/** Polar's dunning: the next automatic attempt two days after a failure. */
const NEXT_ATTEMPT_MS = 2 * 86_400_000;

const notEligible = () =>
  new HttpError(422, "OrderNotEligibleForRetry", "Order is not eligible for payment retry.");

export const paymentRetryHandlers: OperationHandlers = {
  /**
   * Polar's process_retry_payment: a pending renewal order in dunning, paid with a new
   * card (confirmation token) or a saved one; the subscription is active again.
   */
  "customer_portal:orders:confirm_retry_payment": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const order = owned(orders(ctx).get(req.path.id ?? ""), customer);
    const body = req.body as {
      confirmation_token_id?: string | null;
      payment_method_id?: string | null;
      payment_processor?: string;
    };
    if (order.status !== "pending" || !order.next_payment_attempt_at || !order.subscription_id)
      throw notEligible();
    if (!body.confirmation_token_id === !body.payment_method_id) {
      throw invalid(["body"], "Provide either confirmation_token_id or payment_method_id.", body);
    }
    const retries = typeof order.customer_retry_count === "number" ? order.customer_retry_count : 0;
    if (retries >= MAX_CUSTOMER_RETRIES) {
      throw new HttpError(
        429,
        "ManualRetryLimitExceeded",
        "Maximum number of payment retry attempts has been reached for this order.",
      );
    }
    let card: { brand: string; last4: string };
    if (body.payment_method_id) {
      const method = paymentMethods(ctx).get(body.payment_method_id);
      if (!method || method.customer_id !== customer.id) throw notFound("Payment method not found");
      card = { brand: method.method_metadata.brand, last4: method.method_metadata.last4 };
    } else {
      const token = body.confirmation_token_id ?? "";
      card = /declin/i.test(token)
        ? { brand: "visa", last4: "0002" }
        : cardOf(/mastercard/i.test(token) ? "5555555555554444" : "4242424242424242");
    }
    const declined = card.last4 === "0002" ? "Your card was declined." : undefined;
    recordPayment(ctx, {
      organizationId: order.organization_id,
      amount: order.total_amount,
      currency: order.currency,
      trigger: "subscription_cycle",
      checkoutId: null,
      orderId: order.id,
      customerId: customer.id,
      customerEmail: customer.email,
      card,
      ...(declined ? { declined } : {}),
    });
    if (declined) {
      orders(ctx).put({ ...order, customer_retry_count: retries + 1 });
      return { status: "failed", client_secret: null, error: declined };
    }
    ctx.store.transaction(() => {
      payOrder(
        ctx,
        orders(ctx).put({
          ...order,
          next_payment_attempt_at: null,
          customer_retry_count: retries + 1,
        }),
      );
      const subscription = subscriptions(ctx).get(order.subscription_id!);
      if (subscription?.status === "past_due") {
        subscriptions(ctx).put({
          ...subscription,
          status: "active",
          modified_at: iso(ctx.clock.now()),
        });
        ctx.bus.emit("subscription.updated", { subscriptionId: subscription.id });
      }
    });
    return { status: "succeeded", client_secret: null, error: null };
  },
};

/**
 * `POST /__emulator/subscriptions/{id}/renewal-failure`: what a declined renewal leaves on
 * Polar (the emulator's renewals always succeed): a pending `subscription_cycle` order for
 * the next period with `next_payment_attempt_at`, a failed payment, the subscription
 * `past_due`. The customer can then pay it from the portal (`confirm_retry_payment`).
 * Automatic dunning retries are not run.
 */
export function registerPaymentRetryControl(app: Hono, ctx: EmulatorContext): void {
  app.post("/__emulator/subscriptions/:id/renewal-failure", (c) => {
    const subscription = subscriptions(ctx).get(c.req.param("id"));
    if (!subscription || (subscription.status !== "active" && subscription.status !== "past_due")) {
      return c.json(
        { error: "ResourceNotFound", detail: "No active subscription with this id." },
        404,
      );
    }
    const product = products(ctx).get(subscription.product_id);
    const price = product?.prices.find((p) => p.id === subscription.price_id) ?? product?.prices[0];
    if (!product || !price)
      return c.json(
        { error: "ResourceNotFound", detail: "The subscription's product is gone." },
        404,
      );
    const now = ctx.clock.now();
    const order: OrderRecord = ctx.store.transaction(() => {
      const created = createOrder(ctx, {
        organizationId: subscription.organization_id,
        customerId: subscription.customer_id,
        product,
        price,
        amount: subscription.amount,
        discountAmount: 0,
        discountId: null,
        currency: subscription.currency,
        billingReason: "subscription_cycle",
        subscriptionId: subscription.id,
        checkoutId: null,
      });
      recordPayment(ctx, {
        organizationId: subscription.organization_id,
        amount: created.total_amount,
        currency: created.currency,
        trigger: "subscription_cycle",
        checkoutId: null,
        orderId: created.id,
        customerId: subscription.customer_id,
        customerEmail: null,
        card: { brand: "visa", last4: "0002" },
        declined: "Your card was declined.",
      });
      const pastDue = subscriptions(ctx).put({
        ...subscription,
        status: "past_due",
        modified_at: iso(now),
      });
      ctx.bus.emit("subscription.updated", { subscriptionId: subscription.id });
      publishWebhook(ctx, pastDue.organization_id, "subscription.past_due", () =>
        subscriptionRead(ctx, pastDue),
      );
      return orders(ctx).put({
        ...created,
        next_payment_attempt_at: iso(new Date(now.getTime() + NEXT_ATTEMPT_MS)),
        customer_retry_count: 0,
      });
    });
    return c.json(
      {
        order_id: order.id,
        status: order.status,
        next_payment_attempt_at: order.next_payment_attempt_at,
      },
      201,
    );
  });
}
