import type { EmulatorContext } from "../../context.js";
import { cycleGrant } from "../benefit-grants/cycle.js";
import { benefitGrants } from "../benefit-grants/store.js";
import { discountAmount, discounts } from "../discounts/store.js";
import { createOrder, payOrder } from "../orders/service.js";
import { customers } from "../customers/store.js";
import { paymentMethods, recordPayment } from "../payments/store.js";
import { products } from "../products/store.js";
import { addInterval } from "./periods.js";
import { saveSubscription } from "./service.js";
import type { SubscriptionRecord } from "./store.js";

/**
 * Renews a subscription at the end of its period (or of its trial): the next period starts,
 * a `subscription_cycle` order is created and paid (the test card on file always succeeds),
 * and every grant of the subscription cycles (`benefit_grant.cycled`; meter credits reset
 * and re-credited). Webhooks: subscription.updated, subscription.cycled, order.created,
 * order.paid, order.updated, benefit_grant.cycled.
 */
export function renewSubscription(ctx: EmulatorContext, subscription: SubscriptionRecord) {
  const start = new Date(subscription.current_period_end);
  const end = addInterval(
    start,
    subscription.recurring_interval,
    subscription.recurring_interval_count,
  );
  const product = products(ctx).get(subscription.product_id);
  const price =
    product?.prices.find((p) => p.id === subscription.price_id) ??
    product?.prices.find((p) => !p.is_archived);
  const saved = saveSubscription(ctx, subscription, {
    ...subscription,
    status: "active",
    current_period_start: start.toISOString(),
    current_period_end: end.toISOString(),
  });
  ctx.bus.emit("subscription.cycled", { subscriptionId: saved.id });
  if (product && price) {
    // A `once` discount applied to the first payment only.
    const discount = saved.discount_id ? discounts(ctx).get(saved.discount_id) : undefined;
    const applies = discount && discount.duration !== "once" ? discount : undefined;
    const order = createOrder(ctx, {
      organizationId: saved.organization_id,
      customerId: saved.customer_id,
      product,
      price,
      amount: saved.amount,
      discountAmount: discountAmount(applies, saved.amount),
      discountId: applies?.id ?? null,
      currency: saved.currency,
      billingReason: "subscription_cycle",
      subscriptionId: saved.id,
      checkoutId: null,
      metadata: saved.metadata,
    });
    const paid = payOrder(ctx, order);
    if (paid.total_amount > 0) {
      // Charged to the card saved at checkout (Stripe's test cards always renew).
      const card = paymentMethods(ctx).findBy("customer_id", saved.customer_id)[0];
      recordPayment(ctx, {
        organizationId: saved.organization_id,
        amount: paid.total_amount,
        currency: paid.currency,
        trigger: "subscription_cycle",
        checkoutId: null,
        orderId: paid.id,
        customerId: saved.customer_id,
        customerEmail: customers(ctx).get(saved.customer_id)?.email ?? null,
        card: card?.method_metadata ?? { brand: "visa", last4: "4242" },
      });
    }
  }
  for (const grant of benefitGrants(ctx).findBy("customer_id", saved.customer_id)) {
    if (grant.subscription_id === saved.id && grant.is_granted) cycleGrant(ctx, grant.id);
  }
  return saved;
}
