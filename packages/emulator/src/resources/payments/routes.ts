import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { findCustomer, findCustomerByExternalId, type CustomerRecord } from "../customers/store.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";
import { paymentMethods, payments } from "./store.js";

const paymentRead = (ctx: EmulatorContext, payment: object) =>
  ctx.shaper.shape("CardPayment", payment);

function methodsOf(
  ctx: EmulatorContext,
  req: OperationRequest,
  customer: CustomerRecord | undefined,
) {
  if (!customer) throw notFound();
  const items = paymentMethods(ctx).findBy("customer_id", customer.id);
  const page = paginate(items, req.query);
  return {
    ...page,
    items: page.items.map((m, i) =>
      ctx.shaper.shape("CustomerPaymentMethodCard", { ...m, is_default: i === 0 }),
    ),
  };
}

export const paymentHandlers: OperationHandlers = {
  "payments:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const checkoutIds = asList(req.query.checkout_id);
    const orderIds = asList(req.query.order_id);
    const customerIds = asList(req.query.customer_id);
    const statuses = asList(req.query.status);
    const methods = asList(req.query.method);
    const emails = asList(req.query.customer_email);
    const items = payments(ctx)
      .byOrganization(organizationId)
      .filter((p) => !checkoutIds || checkoutIds.includes(p.checkout_id ?? ""))
      .filter((p) => !orderIds || orderIds.includes(p.order_id ?? ""))
      .filter((p) => !customerIds || customerIds.includes(p.customer_id ?? ""))
      .filter((p) => !statuses || statuses.includes(p.status))
      .filter((p) => !methods || methods.includes(p.method))
      .filter((p) => !emails || emails.includes(p.customer_email ?? ""));
    const sorted = sortBy(items, req.query.sorting, {
      created_at: (p) => p.created_at,
      status: (p) => p.status,
      amount: (p) => p.amount,
      method: (p) => p.method,
    });
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((p) => paymentRead(ctx, p)) };
  },
  "payments:get": (req, ctx) => {
    const payment = payments(ctx).get(req.path.id ?? "");
    if (!payment || payment.organization_id !== organizationOf(req.principal)) throw notFound();
    return paymentRead(ctx, payment);
  },
  "customers:list_payment_methods": (req, ctx) =>
    methodsOf(ctx, req, findCustomer(ctx, organizationOf(req.principal), req.path.id ?? "")),
  "customers:list_payment_methods_external": (req, ctx) =>
    methodsOf(
      ctx,
      req,
      findCustomerByExternalId(ctx, organizationOf(req.principal), req.path.external_id ?? ""),
    ),
};
