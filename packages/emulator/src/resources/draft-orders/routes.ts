import type { EmulatorContext } from "../../context.js";
import { HttpError, invalid, notFound } from "../../http/errors.js";
import type { OperationHandlers } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { findCustomer } from "../customers/store.js";
import { orderRead } from "../orders/read.js";
import { createOrder, payOrder } from "../orders/service.js";
import { orders } from "../orders/store.js";
import { organizations } from "../organizations/store.js";
import { paymentMethods, recordPayment } from "../payments/store.js";
import { findProduct } from "../products/store.js";
import { organizationForCreate, organizationOf } from "../scope.js";
import { grantOrderBenefits } from "../subscriptions/grants.js";

const productError = (productId: string, msg: string) =>
  invalid(["body", "product_id"], msg, productId);

function nextInvoiceNumber(ctx: EmulatorContext, organizationId: string): string {
  const numbered = orders(ctx)
    .byOrganization(organizationId)
    .filter((o) => o.invoice_number !== null).length;
  return `POLAR-${String(numbered + 1).padStart(4, "0")}`;
}

/**
 * Polar's off-session charges (order/service.py create_draft_order, finalize_order): a
 * draft order for a one-time fixed-price product, then a charge of the customer's saved
 * card. The emulator has Polar's `off_session_charges_enabled` setting on for every
 * organization. A card whose last four digits are 0002 is declined (402, the order stays
 * a draft), as the hosted checkout's test card.
 */
export const draftOrderHandlers: OperationHandlers = {
  "orders:create": (req, ctx) => {
    const body = req.body as {
      organization_id?: string | null;
      customer_id: string;
      product_id: string;
      currency?: string | null;
      amount?: number | null;
      description?: string | null;
      metadata?: Record<string, string | number | boolean>;
      custom_field_data?: Record<string, unknown>;
    };
    const organizationId = organizationForCreate(req.principal, body);
    const product = findProduct(ctx, organizationId, body.product_id);
    if (!product) throw productError(body.product_id, "Product does not exist.");
    if (product.is_recurring) {
      throw productError(
        body.product_id,
        "Subscription products are not supported by the off-session charge API. Use a one-time product.",
      );
    }
    const customer = findCustomer(ctx, organizationId, body.customer_id);
    if (!customer)
      throw invalid(["body", "customer_id"], "Customer does not exist.", body.customer_id);
    const currency = (
      body.currency ??
      organizations(ctx).get(organizationId)?.default_presentment_currency ??
      "usd"
    ).toLowerCase();
    const prices = product.prices.filter((p) => !p.is_archived && p.price_currency === currency);
    if (prices.length === 0) {
      throw invalid(
        ["body", "currency"],
        body.currency
          ? `Product has no price in currency '${currency}'.`
          : `Product is not priced in the organization's default currency ('${currency}'); specify a currency to charge in.`,
        body.currency ?? null,
      );
    }
    if (prices.some((p) => p.amount_type !== "fixed")) {
      throw productError(body.product_id, "Off-session charges only support fixed-price products.");
    }
    const price = prices[0]!;
    const amount = body.amount ?? (typeof price.price_amount === "number" ? price.price_amount : 0);
    const order = createOrder(ctx, {
      organizationId,
      customerId: customer.id,
      product,
      price,
      amount,
      discountAmount: 0,
      discountId: null,
      currency,
      billingReason: "purchase",
      subscriptionId: null,
      checkoutId: null,
      metadata: body.metadata ?? {},
      customFieldData: body.custom_field_data ?? {},
      billingName: customer.billing_name ?? customer.name,
      ...(body.description ? { label: body.description } : {}),
    });
    const draft = orders(ctx).put({
      ...order,
      status: "draft",
      invoice_number: null,
      ...(body.description ? { description: body.description } : {}),
    });
    return orderRead(ctx, draft);
  },
  "orders:finalize": (req, ctx) => {
    const order = orders(ctx).get(req.path.id ?? "");
    if (!order || order.organization_id !== organizationOf(req.principal)) throw notFound();
    if (order.status !== "draft")
      throw new HttpError(412, "OrderNotDraft", "Order is not in draft status.");
    const body = (req.body ?? {}) as { payment_method_id?: string | null };
    const cards = paymentMethods(ctx).findBy("customer_id", order.customer_id);
    const card = body.payment_method_id
      ? cards.find((m) => m.id === body.payment_method_id)
      : cards[0];
    if (!card)
      throw new HttpError(
        402,
        "PaymentFailed",
        "The customer has no saved payment method to charge.",
      );
    const declined = card.method_metadata.last4 === "0002" ? "Your card was declined." : undefined;
    recordPayment(ctx, {
      organizationId: order.organization_id,
      amount: order.total_amount,
      currency: order.currency,
      trigger: "purchase",
      checkoutId: null,
      orderId: order.id,
      customerId: order.customer_id,
      customerEmail: null,
      card: { brand: card.method_metadata.brand, last4: card.method_metadata.last4 },
      ...(declined ? { declined } : {}),
    });
    if (declined) throw new HttpError(402, "PaymentFailed", declined);
    const numbered = orders(ctx).put({
      ...order,
      status: "pending",
      invoice_number: nextInvoiceNumber(ctx, order.organization_id),
      modified_at: iso(ctx.clock.now()),
    });
    const paid = payOrder(ctx, numbered);
    grantOrderBenefits(ctx, paid.id);
    return orderRead(ctx, orders(ctx).get(paid.id)!);
  },
};
