import type { EmulatorContext } from "../../context.js";
import { customers } from "../customers/store.js";
import { discountRead, discounts } from "../discounts/store.js";
import { organizations } from "../organizations/store.js";
import { productRead, products } from "../products/store.js";
import type { SubscriptionRecord } from "./store.js";

function embedded(ctx: EmulatorContext, subscription: SubscriptionRecord) {
  const product = products(ctx).get(subscription.product_id);
  const price = product?.prices.find((p) => p.id === subscription.price_id);
  const discount = subscription.discount_id
    ? discounts(ctx).get(subscription.discount_id)
    : undefined;
  return {
    ...subscription,
    current_meter_period_start: null,
    current_meter_period_end: null,
    pause_at_period_end: false,
    paused_at: null,
    resumes_at: null,
    pending_update: null,
    customer: customers(ctx).get(subscription.customer_id),
    product: product
      ? {
          ...productRead(ctx, product),
          organization: organizations(ctx).get(product.organization_id),
        }
      : undefined,
    prices: price ? [price] : [],
    discount: discount ? discountRead(ctx, discount) : null,
  };
}

/** A subscription as Polar's `Subscription`. */
export const subscriptionRead = (ctx: EmulatorContext, subscription: SubscriptionRecord) =>
  ctx.shaper.shape("Subscription", embedded(ctx, subscription));

/** A subscription as the customer portal's `CustomerSubscription`. */
export const customerSubscriptionRead = (ctx: EmulatorContext, subscription: SubscriptionRecord) =>
  ctx.shaper.shape("CustomerSubscription", embedded(ctx, subscription));
