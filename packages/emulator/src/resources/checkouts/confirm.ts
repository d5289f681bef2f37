import type { EmulatorContext } from "../../context.js";
import { badRequest, invalid } from "../../http/errors.js";
import { iso } from "../../ids.js";
import {
  createCustomer,
  customers,
  findCustomer,
  findCustomerByExternalId,
  type CustomerRecord,
} from "../customers/store.js";
import { assertDiscountRedeemable } from "../discounts/redeem.js";
import { discounts } from "../discounts/store.js";
import { createOrder, payOrder } from "../orders/service.js";
import { products } from "../products/store.js";
import { grantOrderBenefits } from "../subscriptions/grants.js";
import type { Interval } from "../subscriptions/periods.js";
import { startSubscription } from "../subscriptions/service.js";
import { batchStateChanges } from "../webhooks/state-changed.js";
import { cardOf, recordPayment, saveCard } from "../payments/store.js";
import { chargeTestCard, type TestCard } from "./cards.js";
import { applyPatch, assertOpen, assertSubscriptionUnique, type CheckoutPatch } from "./service.js";
import { checkouts, type CheckoutRecord } from "./store.js";

/** How the buyer pays: a test card typed on the hosted page, or a client-API token. */
export interface Payment {
  card?: TestCard;
  /** `CheckoutConfirmStripe.confirmation_token_id`; one containing "decline" is declined. */
  confirmationTokenId?: string | null;
}

/** Declined payments leave the session open, so the buyer can try another card. */
export class PaymentDeclined extends Error {}

/** Undefined when the payment goes through, else the decline message. */
function charge(checkout: CheckoutRecord, payment: Payment): string | undefined {
  if (checkout.total_amount <= 0) return undefined;
  if (payment.card) return chargeTestCard(payment.card);
  if (!payment.confirmationTokenId)
    throw invalid(["body", "confirmation_token_id"], "Field required", null, "missing");
  return /decline/i.test(payment.confirmationTokenId) ? "Your card was declined." : undefined;
}

/** A client-API token stands for Stripe's test Visa (a "…decline…" token for a declined one). */
const cardUsed = (payment: Payment) =>
  cardOf(
    payment.card?.number ??
      (payment.confirmationTokenId?.includes("decline") ? "4000000000000002" : undefined),
    payment.card?.expiry,
  );

/** The buyer: the session's customer, else by external id, else by email, else a new one. */
function resolveCustomer(ctx: EmulatorContext, checkout: CheckoutRecord): CustomerRecord {
  const org = checkout.organization_id;
  const known =
    (checkout.customer_id && findCustomer(ctx, org, checkout.customer_id)) ||
    (checkout.external_customer_id &&
      findCustomerByExternalId(ctx, org, checkout.external_customer_id)) ||
    customers(ctx)
      .byOrganization(org)
      .find(
        (c) => !c.deleted_at && c.email?.toLowerCase() === checkout.customer_email?.toLowerCase(),
      );
  if (known) return known;
  return createCustomer(ctx, org, {
    email: checkout.customer_email,
    name: checkout.customer_name,
    external_id: checkout.external_customer_id,
    metadata: checkout.customer_metadata,
    billing_address: checkout.customer_billing_address,
  });
}

/**
 * Confirms and pays a checkout session, then runs Polar's chain in one transaction:
 * checkout confirmed → customer (created if new) → subscription created and active (or an
 * order for a one-time product) → order created and paid → benefits granted (license keys
 * issued, credits added) → checkout succeeded → customer state changed. A declined card
 * throws `PaymentDeclined` and changes nothing; so does a second subscription where the
 * organization allows one (403 `AlreadyActiveSubscriptionError`, before any charge).
 */
export function confirmCheckout(
  ctx: EmulatorContext,
  checkout: CheckoutRecord,
  patch: CheckoutPatch,
  payment: Payment,
): CheckoutRecord {
  assertOpen(ctx, checkout);
  const pending = applyPatch(ctx, checkout, patch);
  assertSubscriptionUnique(ctx, pending);
  assertDiscountRedeemable(ctx, pending);
  if (!pending.customer_email)
    throw invalid(["body", "customer_email"], "Field required", null, "missing");
  const card = cardUsed(payment);
  const declined = charge(pending, payment);
  if (declined) {
    // Polar records the failed charge; the session stays open for another try.
    recordPayment(ctx, {
      organizationId: pending.organization_id,
      amount: pending.total_amount,
      currency: pending.currency,
      trigger: "purchase",
      checkoutId: pending.id,
      orderId: null,
      customerId: pending.customer_id,
      customerEmail: pending.customer_email,
      card,
      declined,
    });
    throw new PaymentDeclined(declined);
  }
  return batchStateChanges(ctx, () => {
    const confirmed = checkouts(ctx).put({ ...pending, status: "confirmed" });
    ctx.bus.emit("checkout.updated", { checkoutId: confirmed.id });
    const customer = resolveCustomer(ctx, confirmed);
    const product = products(ctx).get(confirmed.product_id);
    const price = product?.prices.find((p) => p.id === confirmed.product_price_id);
    if (!product || !price) throw badRequest("The checkout's product is no longer available.");
    const base = {
      organizationId: confirmed.organization_id,
      customerId: customer.id,
      product,
      price,
      currency: confirmed.currency,
      discountId: confirmed.discount_id,
      checkoutId: confirmed.id,
      metadata: confirmed.metadata,
      customFieldData: confirmed.custom_field_data,
    };
    let subscriptionId: string | null = null;
    let orderId: string | null = null;
    const trialInterval = (confirmed.trial_interval ?? product.trial_interval) as Interval | null;
    const trialCount = Number(confirmed.trial_interval_count ?? product.trial_interval_count ?? 1);
    if (product.is_recurring) {
      const trial =
        confirmed.allow_trial && trialInterval
          ? { interval: trialInterval, count: trialCount }
          : null;
      const subscription = startSubscription(ctx, {
        ...base,
        amount: confirmed.net_amount + confirmed.discount_amount,
        trial,
      });
      subscriptionId = subscription.id;
      // A trial is not charged now: its first order comes when the trial ends.
      if (!trial) {
        const order = createOrder(ctx, {
          ...base,
          amount: confirmed.amount,
          discountAmount: confirmed.discount_amount,
          billingReason: "subscription_create",
          subscriptionId,
          billingName: confirmed.customer_billing_name,
          billingAddress: confirmed.customer_billing_address,
        });
        orderId = payOrder(ctx, order).id;
      }
    } else {
      const order = createOrder(ctx, {
        ...base,
        amount: confirmed.amount,
        discountAmount: confirmed.discount_amount,
        billingReason: "purchase",
        subscriptionId: null,
        billingName: confirmed.customer_billing_name,
        billingAddress: confirmed.customer_billing_address,
      });
      orderId = payOrder(ctx, order).id;
      grantOrderBenefits(ctx, orderId);
    }
    if (confirmed.total_amount > 0) {
      saveCard(ctx, confirmed.organization_id, customer.id, card);
      recordPayment(ctx, {
        organizationId: confirmed.organization_id,
        amount: confirmed.total_amount,
        currency: confirmed.currency,
        trigger: "purchase",
        checkoutId: confirmed.id,
        orderId,
        customerId: customer.id,
        customerEmail: confirmed.customer_email,
        card,
      });
    }
    if (confirmed.discount_id) {
      const discount = discounts(ctx).get(confirmed.discount_id);
      if (discount)
        discounts(ctx).put({ ...discount, redemptions_count: discount.redemptions_count + 1 });
    }
    const succeeded = checkouts(ctx).put({
      ...confirmed,
      status: "succeeded",
      customer_id: customer.id,
      customer_email: confirmed.customer_email ?? customer.email,
      subscription_id: subscriptionId,
      order_id: orderId,
      payment_error: null,
      modified_at: iso(ctx.clock.now()),
    });
    ctx.bus.emit("checkout.updated", { checkoutId: succeeded.id });
    return succeeded;
  });
}
