import type { EmulatorContext } from "../../context.js";
import { HttpError, invalid } from "../../http/errors.js";
import { priceAmount } from "../checkouts/amounts.js";
import { findDiscount } from "../discounts/store.js";
import { findProduct } from "../products/store.js";
import { batchStateChanges } from "../webhooks/state-changed.js";
import {
  cancelAtPeriodEnd,
  changeProduct,
  revokeSubscription,
  saveSubscription,
  uncancel,
} from "./service.js";
import { isActive, type SubscriptionRecord } from "./store.js";

const alreadyCanceled = () =>
  new HttpError(
    403,
    "AlreadyCanceledSubscription",
    "This subscription is already canceled or will be at the end of the period.",
  );
const inactive = (s: SubscriptionRecord) =>
  new HttpError(403, "InactiveSubscription", `Subscription ${s.id} is not active.`);

/** The body of `PATCH /v1/subscriptions/{id}` (one of the document's update variants). */
export interface SubscriptionPatch {
  cancel_at_period_end?: boolean;
  revoke?: boolean;
  product_id?: string | null;
  discount_id?: string | null;
  metadata?: Record<string, string | number | boolean>;
  customer_cancellation_reason?: string | null;
  customer_cancellation_comment?: string | null;
}

/** Applies one update variant: cancel / uncancel, revoke, product change, discount, metadata. */
export function updateSubscription(
  ctx: EmulatorContext,
  subscription: SubscriptionRecord,
  patch: SubscriptionPatch,
): SubscriptionRecord {
  return batchStateChanges(ctx, () => {
    const reason = {
      reason: patch.customer_cancellation_reason ?? null,
      comment: patch.customer_cancellation_comment ?? null,
    };
    if (patch.revoke === true) {
      if (!isActive(subscription)) throw alreadyCanceled();
      return revokeSubscription(ctx, subscription, reason);
    }
    if (patch.cancel_at_period_end !== undefined) {
      if (!isActive(subscription)) throw alreadyCanceled();
      if (patch.cancel_at_period_end) {
        if (subscription.cancel_at_period_end) throw alreadyCanceled();
        return cancelAtPeriodEnd(ctx, subscription, reason);
      }
      return subscription.cancel_at_period_end ? uncancel(ctx, subscription) : subscription;
    }
    if (patch.product_id) {
      if (!isActive(subscription)) throw inactive(subscription);
      const product = findProduct(ctx, subscription.organization_id, patch.product_id);
      const price = product?.prices.find((p) => !p.is_archived);
      if (!product || product.is_archived || !product.is_recurring || !price)
        throw invalid(
          ["body", "product_id"],
          "Product does not exist or is not recurring.",
          patch.product_id,
        );
      if (product.id === subscription.product_id) return subscription;
      return changeProduct(ctx, subscription, product, price, priceAmount(price));
    }
    let next = { ...subscription };
    if (patch.discount_id !== undefined) {
      const discount = patch.discount_id
        ? findDiscount(ctx, subscription.organization_id, patch.discount_id)
        : undefined;
      if (patch.discount_id && !discount)
        throw invalid(["body", "discount_id"], "Discount does not exist.", patch.discount_id);
      next = { ...next, discount_id: discount?.id ?? null };
    }
    if (patch.metadata !== undefined) next = { ...next, metadata: patch.metadata };
    return saveSubscription(ctx, subscription, next);
  });
}
