import type { EmulatorContext } from "../../context.js";
import { grantBenefit, revokeBenefit } from "../benefit-grants/service.js";
import { benefitGrants, type BenefitGrantRecord } from "../benefit-grants/store.js";
import { benefits } from "../benefits/store.js";
import { orders } from "../orders/store.js";
import { products } from "../products/store.js";
import { isActive, subscriptions, type SubscriptionRecord } from "./store.js";

/** The live benefits attached to a product, in the product's order. */
export function productBenefitIds(ctx: EmulatorContext, productId: string): string[] {
  const product = products(ctx).get(productId);
  return (product?.benefit_ids ?? []).filter((id) => {
    const benefit = benefits(ctx).get(id);
    return benefit !== undefined && !benefit.is_deleted;
  });
}

/**
 * Another source that still entitles the customer to a grant's benefit: an active
 * subscription (other than `excluding`) or a paid one-time order whose benefits were not
 * revoked by a refund. A grant is one per (customer, benefit), so it moves there instead
 * of being revoked.
 */
export function otherSource(
  ctx: EmulatorContext,
  grant: BenefitGrantRecord,
  excluding: { subscriptionId?: string; orderId?: string },
): { subscription_id: string | null; order_id: string | null } | undefined {
  const subscription = subscriptions(ctx)
    .findBy("customer_id", grant.customer_id)
    .find(
      (s) =>
        s.id !== excluding.subscriptionId &&
        isActive(s) &&
        productBenefitIds(ctx, s.product_id).includes(grant.benefit_id),
    );
  if (subscription) return { subscription_id: subscription.id, order_id: null };
  const order = orders(ctx)
    .findBy("customer_id", grant.customer_id)
    .find(
      (o) =>
        o.id !== excluding.orderId &&
        o.billing_reason === "purchase" &&
        o.paid &&
        !o.benefits_revoked &&
        o.product_id !== null &&
        productBenefitIds(ctx, o.product_id).includes(grant.benefit_id),
    );
  return order ? { subscription_id: null, order_id: order.id } : undefined;
}

/** Revokes a grant unless another source keeps it in force (then it moves there). */
export function releaseGrant(
  ctx: EmulatorContext,
  grant: BenefitGrantRecord,
  excluding: { subscriptionId?: string; orderId?: string },
): void {
  const other = otherSource(ctx, grant, excluding);
  if (other) benefitGrants(ctx).put({ ...grant, ...other });
  else revokeBenefit(ctx, { customerId: grant.customer_id, benefitId: grant.benefit_id });
}

/**
 * Makes a subscription's grants match its state, as Polar's benefit grant job does: while
 * active or trialing, every benefit of its product is granted; benefits it no longer has
 * (product change) and all of them once it is revoked are released.
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
    releaseGrant(ctx, grant, { subscriptionId: subscription.id });
  }
}

/** Grants a one-time purchase's benefits, scoped to its order. */
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

/** A refund with `revoke_benefits` releases the order's grants. */
export function revokeOrderBenefits(ctx: EmulatorContext, orderId: string): void {
  const order = orders(ctx).get(orderId);
  if (!order) return;
  for (const grant of benefitGrants(ctx).findBy("customer_id", order.customer_id)) {
    if (grant.order_id === order.id && grant.is_granted)
      releaseGrant(ctx, grant, { orderId: order.id });
  }
}
