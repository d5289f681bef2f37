import type { EmulatorContext } from "../../context.js";
import { invalid } from "../../http/errors.js";
import { iso, newId } from "../../ids.js";
import { advanceClockTo } from "../billing-clock/advance.js";
import { createBenefit } from "../benefits/service.js";
import { benefits } from "../benefits/store.js";
import { confirmCheckout } from "../checkouts/confirm.js";
import { createCheckout, updateCheckout } from "../checkouts/service.js";
import { checkouts } from "../checkouts/store.js";
import { createCustomer, customers } from "../customers/store.js";
import { discounts, type DiscountRecord } from "../discounts/store.js";
import { orders } from "../orders/store.js";
import { organizations } from "../organizations/store.js";
import { createProduct } from "../products/service.js";
import { findProduct, products, type ProductRecord } from "../products/store.js";
import { createRefund } from "../refunds/service.js";
import { updateSubscription } from "../subscriptions/update.js";
import { subscriptions } from "../subscriptions/store.js";
import type { TriggerInputs } from "./inputs.js";

/** Ids of what a trigger created or changed, for the caller to inspect. */
export type TriggerResult = Record<string, string | null>;
type Scenario = (ctx: EmulatorContext, org: string, inputs: TriggerInputs) => TriggerResult;

const suffix = () => newId().slice(0, 8);

/** The product to buy: the override, else a fresh one of the right kind with a benefit. */
function productFor(
  ctx: EmulatorContext,
  org: string,
  inputs: TriggerInputs,
  recurring: boolean,
): ProductRecord {
  if (inputs.product_id) {
    const product = findProduct(ctx, org, inputs.product_id);
    if (!product)
      throw invalid(
        ["body", "overrides", "product_id"],
        "Product does not exist.",
        inputs.product_id,
      );
    return product;
  }
  const benefit = createBenefit(ctx, org, {
    type: "license_keys",
    description: `Triggered key ${suffix()}`,
    properties: { prefix: "TRIGGER" },
  });
  const created = createProduct(ctx, org, {
    name: `Triggered ${recurring ? "plan" : "pack"} ${suffix()}`,
    ...(recurring ? { recurring_interval: "month" as const } : {}),
    prices: [{ amount_type: "fixed", price_amount: 1000, price_currency: "usd" }],
  });
  return products(ctx).put({ ...created, benefit_ids: [benefit.id] });
}

function openCheckout(
  ctx: EmulatorContext,
  org: string,
  inputs: TriggerInputs,
  product: ProductRecord,
) {
  return createCheckout(ctx, org, {
    products: [product.id],
    customer_email: inputs.customer.email ?? `buyer-${suffix()}@example.com`,
    customer_name: inputs.customer.name ?? "Triggered Buyer",
    external_customer_id: inputs.customer.external_id ?? null,
    metadata: inputs.metadata,
  });
}

/** A buyer pays a checkout with the test card: the whole purchase chain. */
function purchase(ctx: EmulatorContext, org: string, inputs: TriggerInputs, recurring: boolean) {
  const product = productFor(ctx, org, inputs, recurring);
  const checkout = confirmCheckout(
    ctx,
    openCheckout(ctx, org, inputs, product),
    {},
    {
      card: { number: "4242424242424242" },
    },
  );
  return {
    product_id: product.id,
    checkout_id: checkout.id,
    customer_id: checkout.customer_id,
    order_id: checkout.order_id,
    subscription_id: checkout.subscription_id,
  };
}

function subscribed(ctx: EmulatorContext, org: string, inputs: TriggerInputs) {
  const result = purchase(ctx, org, inputs, true);
  if (!result.subscription_id)
    throw invalid(
      ["body", "overrides", "product_id"],
      "This product is not recurring.",
      inputs.product_id,
    );
  return { ...result, subscription: subscriptions(ctx).get(result.subscription_id)! };
}

function newCustomer(ctx: EmulatorContext, org: string, inputs: TriggerInputs) {
  return createCustomer(ctx, org, {
    email: inputs.customer.email ?? `customer-${suffix()}@example.com`,
    name: inputs.customer.name ?? "Triggered Customer",
    external_id: inputs.customer.external_id ?? null,
    metadata: inputs.metadata,
  });
}

function newDiscount(ctx: EmulatorContext, org: string): DiscountRecord {
  const record: DiscountRecord = {
    id: newId(),
    organization_id: org,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    name: `Triggered ${suffix()}`,
    code: null,
    type: "percentage",
    duration: "once",
    duration_in_months: null,
    amount: null,
    currency: null,
    basis_points: 1000,
    starts_at: null,
    ends_at: null,
    max_redemptions: null,
    max_redemptions_per_customer: null,
    redemptions_count: 0,
    product_ids: [],
    metadata: {},
    deleted_at: null,
  };
  discounts(ctx).insert(record);
  ctx.bus.emit("discount.created", { discountId: record.id });
  return record;
}

const oneTime: Scenario = (ctx, org, inputs) => purchase(ctx, org, inputs, false);
const subscription: Scenario = (ctx, org, inputs) => {
  const { subscription: _s, ...ids } = subscribed(ctx, org, inputs);
  return ids;
};
const canceled: Scenario = (ctx, org, inputs) => {
  const { subscription: sub, ...ids } = subscribed(ctx, org, inputs);
  updateSubscription(ctx, sub, { cancel_at_period_end: true });
  return ids;
};
const refunded: Scenario = (ctx, org, inputs) => {
  const ids = purchase(ctx, org, inputs, false);
  const order = orders(ctx).get(ids.order_id!)!;
  const refund = createRefund(ctx, order, {
    order_id: order.id,
    amount: order.total_amount,
    reason: inputs.reason ?? "customer_request",
    revoke_benefits: true,
  });
  return { ...ids, refund_id: refund.id };
};
/** Renewals happen at the period's end: the emulator's clock moves there. */
const cycled: Scenario = (ctx, org, inputs) => {
  const { subscription: sub, ...ids } = subscribed(ctx, org, inputs);
  advanceClockTo(ctx, new Date(sub.current_period_end).getTime());
  return ids;
};

/**
 * Every webhook type the emulator can cause, each mapped to a realistic chain that causes
 * it (and whatever else that chain causes, as on Polar): `order.paid` is a buyer paying a
 * checkout with the test card, `subscription.revoked` a subscription bought then revoked.
 */
export const SCENARIOS: Record<string, Scenario> = {
  "checkout.created": (ctx, org, inputs) => {
    const checkout = openCheckout(ctx, org, inputs, productFor(ctx, org, inputs, false));
    return { checkout_id: checkout.id, product_id: checkout.product_id };
  },
  "checkout.updated": (ctx, org, inputs) => {
    const checkout = openCheckout(ctx, org, inputs, productFor(ctx, org, inputs, false));
    updateCheckout(ctx, checkout, { customer_name: inputs.customer.name ?? "Updated Buyer" });
    return { checkout_id: checkout.id, product_id: checkout.product_id };
  },
  "checkout.expired": (ctx, org, inputs) => {
    const checkout = openCheckout(ctx, org, inputs, productFor(ctx, org, inputs, false));
    advanceClockTo(ctx, new Date(checkout.expires_at).getTime());
    return { checkout_id: checkout.id, status: checkouts(ctx).get(checkout.id)?.status ?? null };
  },
  "customer.created": (ctx, org, inputs) => ({ customer_id: newCustomer(ctx, org, inputs).id }),
  "customer.updated": (ctx, org, inputs) => {
    const customer = newCustomer(ctx, org, inputs);
    customers(ctx).put({
      ...customer,
      name: `${customer.name ?? "Customer"} (updated)`,
      modified_at: iso(ctx.clock.now()),
    });
    ctx.bus.emit("customer.updated", { customerId: customer.id });
    return { customer_id: customer.id };
  },
  "customer.deleted": (ctx, org, inputs) => {
    const customer = newCustomer(ctx, org, inputs);
    customers(ctx).put({ ...customer, deleted_at: iso(ctx.clock.now()) });
    ctx.bus.emit("customer.deleted", { customerId: customer.id });
    return { customer_id: customer.id };
  },
  "customer.state_changed": subscription,
  "order.created": oneTime,
  "order.paid": oneTime,
  "order.updated": oneTime,
  "order.refunded": refunded,
  "refund.created": refunded,
  "refund.updated": refunded,
  "subscription.created": subscription,
  "subscription.active": subscription,
  "subscription.updated": canceled,
  "subscription.canceled": canceled,
  "subscription.uncanceled": (ctx, org, inputs) => {
    const { subscription: sub, ...ids } = subscribed(ctx, org, inputs);
    const canceledSub = updateSubscription(ctx, sub, { cancel_at_period_end: true });
    updateSubscription(ctx, canceledSub, { cancel_at_period_end: false });
    return ids;
  },
  "subscription.revoked": (ctx, org, inputs) => {
    const { subscription: sub, ...ids } = subscribed(ctx, org, inputs);
    updateSubscription(ctx, sub, { revoke: true });
    return ids;
  },
  "subscription.cycled": cycled,
  "benefit_grant.created": oneTime,
  "benefit_grant.revoked": refunded,
  "benefit_grant.cycled": cycled,
  "product.created": (ctx, org, inputs) => {
    const product = createProduct(ctx, org, {
      name: `Triggered product ${suffix()}`,
      metadata: inputs.metadata,
      prices: [{ amount_type: "fixed", price_amount: 500, price_currency: "usd" }],
    });
    ctx.bus.emit("product.created", { productId: product.id });
    return { product_id: product.id };
  },
  "product.updated": (ctx, org, inputs) => {
    const product = productFor(ctx, org, inputs, false);
    products(ctx).put({
      ...product,
      description: "Updated by a trigger",
      modified_at: iso(ctx.clock.now()),
    });
    ctx.bus.emit("product.updated", { productId: product.id });
    return { product_id: product.id };
  },
  "benefit.created": (ctx, org) => {
    const benefit = createBenefit(ctx, org, {
      type: "custom",
      description: `Triggered ${suffix()}`,
      properties: {},
    });
    ctx.bus.emit("benefit.created", { benefitId: benefit.id });
    return { benefit_id: benefit.id };
  },
  "benefit.updated": (ctx, org) => {
    const benefit = createBenefit(ctx, org, {
      type: "custom",
      description: `Triggered ${suffix()}`,
      properties: {},
    });
    benefits(ctx).put({
      ...benefit,
      description: `${benefit.description} (updated)`,
      modified_at: iso(ctx.clock.now()),
    });
    ctx.bus.emit("benefit.updated", { benefitId: benefit.id });
    return { benefit_id: benefit.id };
  },
  "discount.created": (ctx, org) => ({ discount_id: newDiscount(ctx, org).id }),
  "discount.updated": (ctx, org) => {
    const discount = newDiscount(ctx, org);
    discounts(ctx).put({
      ...discount,
      name: `${discount.name} (updated)`,
      modified_at: iso(ctx.clock.now()),
    });
    ctx.bus.emit("discount.updated", { discountId: discount.id });
    return { discount_id: discount.id };
  },
  "discount.deleted": (ctx, org) => {
    const discount = newDiscount(ctx, org);
    discounts(ctx).put({ ...discount, deleted_at: iso(ctx.clock.now()) });
    ctx.bus.emit("discount.deleted", { discountId: discount.id });
    return { discount_id: discount.id };
  },
  "organization.updated": (ctx, org) => {
    const organization = organizations(ctx).get(org)!;
    organizations(ctx).put({ ...organization, modified_at: iso(ctx.clock.now()) });
    ctx.bus.emit("organization.updated", { organizationId: org });
    return { organization_id: org };
  },
};
