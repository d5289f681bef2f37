import type { EmulatorContext } from "../../context.js";
import { customers } from "../customers/store.js";
import { discountRead, discounts } from "../discounts/store.js";
import { organizations } from "../organizations/store.js";
import { products, type ProductRecord } from "../products/store.js";
import { subscriptions } from "../subscriptions/store.js";
import type { OrderRecord } from "./store.js";

const withOrganization = (ctx: EmulatorContext, product: ProductRecord | undefined) =>
  product ? { ...product, organization: organizations(ctx).get(product.organization_id) } : null;

/** The order with what Polar embeds (customer, product, subscription, discount). */
function embedded(ctx: EmulatorContext, order: OrderRecord) {
  const discount = order.discount_id ? discounts(ctx).get(order.discount_id) : undefined;
  const refundable = order.paid ? order.total_amount - order.refunded_amount : 0;
  return {
    ...order,
    applied_balance_amount: 0,
    due_amount: order.paid ? 0 : order.total_amount,
    receipt_number: order.paid ? order.invoice_number : null,
    platform_fee_currency: order.currency,
    refundable_amount: refundable,
    refundable_tax_amount: 0,
    customer: customers(ctx).get(order.customer_id),
    // The portal's product schemas embed the seller (CustomerOrderProduct.organization).
    product: order.product_id ? withOrganization(ctx, products(ctx).get(order.product_id)) : null,
    subscription: order.subscription_id
      ? (subscriptions(ctx).get(order.subscription_id) ?? null)
      : null,
    discount: discount ? discountRead(ctx, discount) : null,
  };
}

/** An order as Polar's `Order` schema. */
export const orderRead = (ctx: EmulatorContext, order: OrderRecord) =>
  ctx.shaper.shape("Order", embedded(ctx, order));

/** An order as the customer portal's `CustomerOrder` schema. */
export const customerOrderRead = (ctx: EmulatorContext, order: OrderRecord) =>
  ctx.shaper.shape("CustomerOrder", embedded(ctx, order));
