import type { EmulatorContext } from "../../context.js";
import { grantBenefit, revokeBenefit } from "../benefit-grants/service.js";
import { benefitGrants } from "../benefit-grants/store.js";
import { benefits } from "../benefits/store.js";
import { orders } from "../orders/store.js";
import { products } from "../products/store.js";
import { isActive, type SubscriptionRecord } from "./store.js";

/** The live benefits attached to a product, in the product's order. */
export function productBenefitIds(ctx: EmulatorContext, productId: string): string[] {
  const product = products(ctx).get(productId);
  return (product?.benefit_ids ?? []).filter((id) => {
    const benefit = benefits(ctx).get(id);
    return benefit !== undefined && !benefit.is_deleted;
  });
}

/**
 * Makes a subscription's grants match its state, as Polar's benefit grant job does: while
 * active or trialing, every benefit of its product is granted in the subscription's scope;
 * its grants of benefits it no longer has (product change: Polar's outdated grants) and all
 * of them once it is revoked are revoked. Grants of other scopes are left alone.
 */
export function syncSubscriptionGrants(ctx: EmulatorContext, subscription: SubscriptionRecord) {
  const wanted = isActive(subscription) ? productBenefitIds(ctx, subscription.product_id) : [];
  for (const benefitId of wanted) {
    grantBenefit(ctx, {
      customerId: subscription.customer_id,
      benefitId,
      subscriptionId: subscription.id,
      orderId: null,
    });
  }
  for (const grant of benefitGrants(ctx).findBy("customer_id", subscription.customer_id)) {
    if (grant.subscription_id !== subscription.id || !grant.is_granted) continue;
    if (wanted.includes(grant.benefit_id)) continue;
    revokeBenefit(ctx, {
      customerId: grant.customer_id,
      benefitId: grant.benefit_id,
      subscriptionId: subscription.id,
    });
  }
}

/** Grants a one-time purchase's benefits, scoped to its order (each order its own grants). */
export function grantOrderBenefits(ctx: EmulatorContext, orderId: string): void {
  const order = orders(ctx).get(orderId);
  if (!order?.product_id) return;
  for (const benefitId of productBenefitIds(ctx, order.product_id)) {
    grantBenefit(ctx, {
      customerId: order.customer_id,
      benefitId,
      orderId: order.id,
      subscriptionId: null,
    });
  }
}

/** A refund with `revoke_benefits` revokes the order's grants (other scopes keep theirs). */
export function revokeOrderBenefits(ctx: EmulatorContext, orderId: string): void {
  const order = orders(ctx).get(orderId);
  if (!order) return;
  for (const grant of benefitGrants(ctx).findBy("customer_id", order.customer_id)) {
    if (grant.order_id === order.id && grant.is_granted)
      revokeBenefit(ctx, { customerId: grant.customer_id, benefitId: grant.benefit_id, orderId });
  }
}
