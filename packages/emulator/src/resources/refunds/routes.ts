import { invalid } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers } from "../../http/operation.js";
import { customers } from "../customers/store.js";
import { findOrder } from "../orders/store.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";
import { refundRead } from "./read.js";
import { createRefund } from "./service.js";
import { refunds } from "./store.js";

export const refundHandlers: OperationHandlers = {
  "refunds:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const ids = asList(req.query.id);
    const orderIds = asList(req.query.order_id);
    const subscriptionIds = asList(req.query.subscription_id);
    const customerIds = asList(req.query.customer_id);
    const externalIds = asList(req.query.external_customer_id);
    const succeeded = typeof req.query.succeeded === "boolean" ? req.query.succeeded : undefined;
    const items = refunds(ctx)
      .byOrganization(organizationId)
      .filter((r) => !ids || ids.includes(r.id))
      .filter((r) => !orderIds || orderIds.includes(r.order_id))
      .filter((r) => !subscriptionIds || subscriptionIds.includes(r.subscription_id ?? ""))
      .filter((r) => !customerIds || customerIds.includes(r.customer_id))
      .filter(
        (r) =>
          !externalIds ||
          externalIds.includes(customers(ctx).get(r.customer_id)?.external_id ?? ""),
      )
      .filter((r) => succeeded === undefined || (r.status === "succeeded") === succeeded);
    const sorted = sortBy(items, req.query.sorting, {
      created_at: (r) => r.created_at,
      amount: (r) => r.amount,
    });
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((r) => refundRead(ctx, r)) };
  },
  "refunds:create": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    const order = findOrder(ctx, organizationId, req.body.order_id);
    if (!order) throw invalid(["body", "order_id"], "Order does not exist.", req.body.order_id);
    return refundRead(ctx, createRefund(ctx, order, req.body));
  },
};
