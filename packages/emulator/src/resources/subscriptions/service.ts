import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import type { Metadata } from "../customers/store.js";
import type { PriceRecord, ProductRecord } from "../products/store.js";
import { syncSubscriptionGrants } from "./grants.js";
import { addInterval, type Interval } from "./periods.js";
import { isActive, subscriptions, type SubscriptionRecord } from "./store.js";

/** Polar's `Subscription.canceled`: an end is set (at period end, or now). */
const isCanceled = (s: SubscriptionRecord): boolean => s.ends_at !== null;
const REVOKED = new Set(["canceled", "unpaid", "incomplete_expired"]);

/**
 * Saves a change to a subscription and sends what Polar's `_after_subscription_updated`
 * sends: `subscription.updated`, then `.active`, `.canceled`, `.uncanceled` or `.revoked`
 * for the transitions that happened; then the grants follow the new state.
 */
export function saveSubscription(
  ctx: EmulatorContext,
  previous: SubscriptionRecord,
  next: SubscriptionRecord,
): SubscriptionRecord {
  const saved = subscriptions(ctx).put({ ...next, modified_at: iso(ctx.clock.now()) });
  const subscriptionId = saved.id;
  ctx.bus.emit("subscription.updated", { subscriptionId });
  if (isActive(saved) && !isActive(previous))
    ctx.bus.emit("subscription.active", { subscriptionId });
  if (isCanceled(saved) && !isCanceled(previous))
    ctx.bus.emit("subscription.canceled", { subscriptionId });
  if (!isCanceled(saved) && isCanceled(previous))
    ctx.bus.emit("subscription.uncanceled", { subscriptionId });
  if (REVOKED.has(saved.status) && !REVOKED.has(previous.status))
    ctx.bus.emit("subscription.revoked", { subscriptionId });
  syncSubscriptionGrants(ctx, saved);
  return saved;
}

export interface StartInput {
  organizationId: string;
  customerId: string;
  product: ProductRecord;
  price: PriceRecord;
  amount: number;
  currency: string;
  discountId: string | null;
  checkoutId: string | null;
  metadata?: Metadata;
  customFieldData?: Record<string, unknown>;
  /** A trial the checkout allowed (interval and count), if any. */
  trial?: { interval: Interval; count: number } | null;
}

/**
 * Starts a subscription (active, or trialing with a trial): `subscription.created`, then
 * `subscription.active`; its product's benefits are granted at once.
 */
export function startSubscription(ctx: EmulatorContext, input: StartInput): SubscriptionRecord {
  const now = ctx.clock.now();
  const interval = input.product.recurring_interval ?? "month";
  const count = input.product.recurring_interval_count ?? 1;
  const trialEnd = input.trial ? addInterval(now, input.trial.interval, input.trial.count) : null;
  const record: SubscriptionRecord = {
    id: newId(),
    organization_id: input.organizationId,
    created_at: iso(now),
    modified_at: null,
    amount: input.amount,
    currency: input.currency,
    recurring_interval: interval,
    recurring_interval_count: count,
    status: trialEnd ? "trialing" : "active",
    current_period_start: iso(now),
    current_period_end: iso(trialEnd ?? addInterval(now, interval, count)),
    trial_start: trialEnd ? iso(now) : null,
    trial_end: trialEnd ? iso(trialEnd) : null,
    cancel_at_period_end: false,
    canceled_at: null,
    started_at: iso(now),
    ends_at: null,
    ended_at: null,
    customer_id: input.customerId,
    product_id: input.product.id,
    price_id: input.price.id,
    discount_id: input.discountId,
    checkout_id: input.checkoutId,
    customer_cancellation_reason: null,
    customer_cancellation_comment: null,
    metadata: input.metadata ?? {},
    custom_field_data: input.customFieldData ?? {},
    meters: [],
  };
  subscriptions(ctx).insert(record);
  ctx.bus.emit("subscription.created", { subscriptionId: record.id });
  ctx.bus.emit("subscription.active", { subscriptionId: record.id });
  syncSubscriptionGrants(ctx, record);
  return record;
}

export interface CancelInput {
  reason?: string | null;
  comment?: string | null;
}

/** Cancels at the end of the period: access stays until `ends_at` (= current period end). */
export function cancelAtPeriodEnd(
  ctx: EmulatorContext,
  subscription: SubscriptionRecord,
  input: CancelInput = {},
): SubscriptionRecord {
  return saveSubscription(ctx, subscription, {
    ...subscription,
    cancel_at_period_end: true,
    canceled_at: iso(ctx.clock.now()),
    ends_at: subscription.current_period_end,
    customer_cancellation_reason: input.reason ?? subscription.customer_cancellation_reason,
    customer_cancellation_comment: input.comment ?? subscription.customer_cancellation_comment,
  });
}

/** Takes back a cancellation at period end. */
export function uncancel(
  ctx: EmulatorContext,
  subscription: SubscriptionRecord,
): SubscriptionRecord {
  return saveSubscription(ctx, subscription, {
    ...subscription,
    cancel_at_period_end: false,
    canceled_at: null,
    ends_at: null,
    customer_cancellation_reason: null,
    customer_cancellation_comment: null,
  });
}

/** Ends the subscription now (`DELETE`, `revoke: true`, or a cancellation reaching its end). */
export function revokeSubscription(
  ctx: EmulatorContext,
  subscription: SubscriptionRecord,
  input: CancelInput = {},
): SubscriptionRecord {
  const now = iso(ctx.clock.now());
  const endedAt = subscription.cancel_at_period_end ? (subscription.ends_at ?? now) : now;
  return saveSubscription(ctx, subscription, {
    ...subscription,
    status: "canceled",
    canceled_at: subscription.canceled_at ?? now,
    ends_at: endedAt,
    ended_at: endedAt,
    customer_cancellation_reason: input.reason ?? subscription.customer_cancellation_reason,
    customer_cancellation_comment: input.comment ?? subscription.customer_cancellation_comment,
  });
}

/**
 * Moves the subscription to another recurring product of the organization: the new price
 * and amount apply from now (the emulator bills no proration), grants follow the product.
 */
export function changeProduct(
  ctx: EmulatorContext,
  subscription: SubscriptionRecord,
  product: ProductRecord,
  price: PriceRecord,
  amount: number,
): SubscriptionRecord {
  return saveSubscription(ctx, subscription, {
    ...subscription,
    product_id: product.id,
    price_id: price.id,
    amount,
    currency: price.price_currency,
    recurring_interval: product.recurring_interval ?? subscription.recurring_interval,
    recurring_interval_count: product.recurring_interval_count ?? 1,
  });
}
