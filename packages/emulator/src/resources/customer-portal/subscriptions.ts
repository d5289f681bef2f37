import type { EmulatorContext } from "../../context.js";
import { paginate } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { customerSubscriptionRead } from "../subscriptions/read.js";
import { filterSubscriptions } from "../subscriptions/routes.js";
import { subscriptions, type SubscriptionRecord } from "../subscriptions/store.js";
import { updateSubscription } from "../subscriptions/update.js";
import { owned, portalCustomer } from "./scope.js";

const mine = (req: OperationRequest, ctx: EmulatorContext): SubscriptionRecord =>
  owned(subscriptions(ctx).get(req.path.id ?? ""), portalCustomer(ctx, req.principal));

/**
 * The customer's subscriptions: cancel (always at period end, as Polar's portal does),
 * uncancel, or switch product; the same service as the organization's API.
 */
export const portalSubscriptionHandlers: OperationHandlers = {
  "customer_portal:subscriptions:list": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const items = filterSubscriptions(
      ctx,
      req,
      subscriptions(ctx).findBy("customer_id", customer.id),
    );
    const page = paginate(items, req.query);
    return { ...page, items: page.items.map((s) => customerSubscriptionRead(ctx, s)) };
  },
  "customer_portal:subscriptions:get": (req, ctx) => customerSubscriptionRead(ctx, mine(req, ctx)),
  "customer_portal:subscriptions:update": (req, ctx) => {
    const body = req.body as {
      product_id?: string;
      cancel_at_period_end?: boolean | null;
      cancellation_reason?: string | null;
      cancellation_comment?: string | null;
    };
    const updated = updateSubscription(ctx, mine(req, ctx), {
      ...(body.product_id ? { product_id: body.product_id } : {}),
      ...(typeof body.cancel_at_period_end === "boolean"
        ? { cancel_at_period_end: body.cancel_at_period_end }
        : {}),
      customer_cancellation_reason: body.cancellation_reason ?? null,
      customer_cancellation_comment: body.cancellation_comment ?? null,
    });
    return customerSubscriptionRead(ctx, updated);
  },
  "customer_portal:subscriptions:cancel": (req, ctx) =>
    customerSubscriptionRead(
      ctx,
      updateSubscription(ctx, mine(req, ctx), { cancel_at_period_end: true }),
    ),
};
