import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { customers } from "../customers/store.js";
import { metadataMatches } from "../metadata-filter.js";
import { products } from "../products/store.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";
import { generateInvoice, invoiceOf, receiptUrl } from "./documents.js";
import { ordersCsv } from "./export.js";
import { orderRead } from "./read.js";
import { findOrder, orders, type OrderRecord } from "./store.js";
import { Reply } from "../../http/operation.js";

const byId = (req: OperationRequest, ctx: EmulatorContext): OrderRecord => {
  const record = findOrder(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!record) throw notFound();
  return record;
};

/** Filters shared by the organization's and the customer portal's order lists. */
export function filterOrders(ctx: EmulatorContext, req: OperationRequest, items: OrderRecord[]) {
  const productIds = asList(req.query.product_id);
  const customerIds = asList(req.query.customer_id);
  const externalIds = asList(req.query.external_customer_id);
  const subscriptionIds = asList(req.query.subscription_id);
  const checkoutIds = asList(req.query.checkout_id);
  const discountIds = asList(req.query.discount_id);
  const statuses = asList(req.query.status);
  const billingTypes = asList(req.query.product_billing_type);
  const externalOf = (o: OrderRecord) => customers(ctx).get(o.customer_id)?.external_id ?? null;
  const filtered = items
    .filter((o) => !productIds || (o.product_id !== null && productIds.includes(o.product_id)))
    .filter((o) => !customerIds || customerIds.includes(o.customer_id))
    .filter((o) => !externalIds || externalIds.includes(externalOf(o) ?? ""))
    .filter((o) => !subscriptionIds || subscriptionIds.includes(o.subscription_id ?? ""))
    .filter((o) => !checkoutIds || checkoutIds.includes(o.checkout_id ?? ""))
    .filter((o) => !discountIds || discountIds.includes(o.discount_id ?? ""))
    .filter((o) => !statuses || statuses.includes(o.status))
    .filter(
      (o) =>
        !billingTypes ||
        billingTypes.includes(
          o.product_id && products(ctx).get(o.product_id)?.is_recurring ? "recurring" : "one_time",
        ),
    )
    .filter((o) => metadataMatches(o.metadata, req.query.metadata, req.url));
  return sortBy(filtered, req.query.sorting, {
    created_at: (o) => o.created_at,
    status: (o) => o.status,
    invoice_number: (o) => o.invoice_number,
    amount: (o) => o.net_amount,
    net_amount: (o) => o.net_amount,
    customer: (o) => customers(ctx).get(o.customer_id)?.email,
    product: (o) => (o.product_id ? products(ctx).get(o.product_id)?.name : null),
    discount: (o) => o.discount_id,
    subscription: (o) => o.subscription_id,
  });
}

export const orderHandlers: OperationHandlers = {
  "orders:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const page = paginate(
      filterOrders(ctx, req, orders(ctx).byOrganization(organizationId)),
      req.query,
    );
    return { ...page, items: page.items.map((o) => orderRead(ctx, o)) };
  },
  "orders:get": (req, ctx) => orderRead(ctx, byId(req, ctx)),
  "orders:export": (req, ctx) => ordersCsv(ctx, organizationOf(req.principal)),
  "orders:update": (req, ctx) => {
    const order = byId(req, ctx);
    const body = req.body as {
      billing_name?: string | null;
      billing_address?: Record<string, unknown> | null;
    };
    const updated = ctx.store.transaction(() => {
      const saved = orders(ctx).put({
        ...order,
        ...("billing_name" in body ? { billing_name: body.billing_name ?? null } : {}),
        ...("billing_address" in body ? { billing_address: body.billing_address ?? null } : {}),
        modified_at: iso(ctx.clock.now()),
      });
      ctx.bus.emit("order.updated", { orderId: saved.id });
      return saved;
    });
    return orderRead(ctx, updated);
  },
  "orders:generate_invoice": (req, ctx) => {
    generateInvoice(ctx, byId(req, ctx));
    return new Reply(202, {});
  },
  "orders:invoice": (req, ctx) => invoiceOf(ctx, byId(req, ctx)),
  "orders:receipt": (req, ctx) => {
    const order = byId(req, ctx);
    if (!order.paid) return new Reply(202, undefined);
    return { url: receiptUrl(ctx, order) };
  },
};
