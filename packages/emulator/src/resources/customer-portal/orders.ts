import type { EmulatorContext } from "../../context.js";
import { paginate } from "../../http/list.js";
import { Reply, type OperationHandlers, type OperationRequest } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { generateInvoice, invoiceOf, receiptUrl } from "../orders/documents.js";
import { customerOrderRead } from "../orders/read.js";
import { filterOrders } from "../orders/routes.js";
import { orders, type OrderRecord } from "../orders/store.js";
import { owned, portalCustomer } from "./scope.js";

const mine = (req: OperationRequest, ctx: EmulatorContext): OrderRecord =>
  owned(orders(ctx).get(req.path.id ?? ""), portalCustomer(ctx, req.principal));

/** The customer's orders, invoices and receipts. */
export const portalOrderHandlers: OperationHandlers = {
  "customer_portal:orders:list": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const q = typeof req.query.query === "string" ? req.query.query.toLowerCase() : undefined;
    const items = filterOrders(ctx, req, orders(ctx).findBy("customer_id", customer.id)).filter(
      (o) => !q || o.description.toLowerCase().includes(q),
    );
    const page = paginate(items, req.query);
    return { ...page, items: page.items.map((o) => customerOrderRead(ctx, o)) };
  },
  "customer_portal:orders:get": (req, ctx) => customerOrderRead(ctx, mine(req, ctx)),
  "customer_portal:orders:update": (req, ctx) => {
    const order = mine(req, ctx);
    const body = req.body as {
      billing_name?: string | null;
      billing_address?: Record<string, unknown> | null;
    };
    const saved = ctx.store.transaction(() => {
      const next = orders(ctx).put({
        ...order,
        ...("billing_name" in body ? { billing_name: body.billing_name ?? null } : {}),
        ...("billing_address" in body ? { billing_address: body.billing_address ?? null } : {}),
        modified_at: iso(ctx.clock.now()),
      });
      ctx.bus.emit("order.updated", { orderId: next.id });
      return next;
    });
    return customerOrderRead(ctx, saved);
  },
  "customer_portal:orders:generate_invoice": (req, ctx) => {
    generateInvoice(ctx, mine(req, ctx));
    return new Reply(202, {});
  },
  "customer_portal:orders:invoice": (req, ctx) => invoiceOf(ctx, mine(req, ctx)),
  "customer_portal:orders:receipt": (req, ctx) => {
    const order = mine(req, ctx);
    if (!order.paid) return new Reply(202, undefined);
    return { url: receiptUrl(ctx, order) };
  },
  "customer_portal:orders:get_payment_status": (req, ctx) => {
    const order = mine(req, ctx);
    return { status: order.paid ? "succeeded" : "pending", error: null };
  },
};
