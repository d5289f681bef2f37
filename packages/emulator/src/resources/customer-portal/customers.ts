import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { paginate } from "../../http/list.js";
import type { OperationHandlers } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { customers, type CustomerRecord } from "../customers/store.js";
import { paymentMethods } from "../payments/store.js";
import { portalCustomer } from "./scope.js";

const portalCustomerRead = (ctx: EmulatorContext, customer: CustomerRecord) =>
  ctx.shaper.shape("CustomerPortalCustomer", {
    ...customer,
    tax_id: customer.tax_id ?? null,
    oauth_accounts: {},
    default_payment_method_id:
      paymentMethods(ctx).findBy("customer_id", customer.id)[0]?.id ?? null,
  });

/** The customer's own record and saved cards, through a customer session. */
export const portalCustomerHandlers: OperationHandlers = {
  "customer_portal:customers:get": (req, ctx) =>
    portalCustomerRead(ctx, portalCustomer(ctx, req.principal)),
  "customer_portal:customers:update": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const body = req.body as Record<string, unknown>;
    const next: CustomerRecord = { ...customer, modified_at: iso(ctx.clock.now()) };
    if ("billing_name" in body) next.billing_name = (body.billing_name as string | null) ?? null;
    if ("billing_address" in body)
      next.billing_address = (body.billing_address as Record<string, unknown> | null) ?? null;
    if ("tax_id" in body) next.tax_id = body.tax_id ? [body.tax_id, null] : null;
    const saved = ctx.store.transaction(() => {
      customers(ctx).put(next);
      ctx.bus.emit("customer.updated", { customerId: next.id });
      return next;
    });
    return portalCustomerRead(ctx, saved);
  },
  "customer_portal:customers:list_payment_methods": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const page = paginate(paymentMethods(ctx).findBy("customer_id", customer.id), req.query);
    return { ...page, items: page.items.map((m) => ctx.shaper.shape("PaymentMethodCard", m)) };
  },
  "customer_portal:customers:delete_payment_method": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const method = paymentMethods(ctx).get(req.path.id ?? "");
    if (!method || method.customer_id !== customer.id) throw notFound();
    paymentMethods(ctx).delete(method.id);
    return undefined;
  },
};
