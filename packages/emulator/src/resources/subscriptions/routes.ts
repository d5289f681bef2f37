import type { EmulatorContext } from "../../context.js";
import { invalid, notFound } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { customers, findCustomer } from "../customers/store.js";
import { metadataMatches } from "../metadata-filter.js";
import { findProduct, products } from "../products/store.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";
import { batchStateChanges } from "../webhooks/state-changed.js";
import { priceAmount } from "../checkouts/amounts.js";
import { subscriptionRead } from "./read.js";
import { startSubscription } from "./service.js";
import { findSubscription, isActive, subscriptions, type SubscriptionRecord } from "./store.js";
import { updateSubscription } from "./update.js";
import { subscriptionsCsv } from "./export.js";

const byId = (req: OperationRequest, ctx: EmulatorContext): SubscriptionRecord => {
  const record = findSubscription(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!record) throw notFound();
  return record;
};

/** Filters shared by the organization's and the customer portal's subscription lists. */
export function filterSubscriptions(
  ctx: EmulatorContext,
  req: OperationRequest,
  items: SubscriptionRecord[],
) {
  const productIds = asList(req.query.product_id);
  const customerIds = asList(req.query.customer_id);
  const externalIds = asList(req.query.external_customer_id);
  const discountIds = asList(req.query.discount_id);
  const statuses = asList(req.query.status);
  const active = typeof req.query.active === "boolean" ? req.query.active : undefined;
  const atPeriodEnd =
    typeof req.query.cancel_at_period_end === "boolean"
      ? req.query.cancel_at_period_end
      : undefined;
  const filtered = items
    .filter((s) => !productIds || productIds.includes(s.product_id))
    .filter((s) => !customerIds || customerIds.includes(s.customer_id))
    .filter(
      (s) =>
        !externalIds || externalIds.includes(customers(ctx).get(s.customer_id)?.external_id ?? ""),
    )
    .filter((s) => !discountIds || discountIds.includes(s.discount_id ?? ""))
    .filter((s) => !statuses || statuses.includes(s.status))
    .filter((s) => active === undefined || isActive(s) === active)
    .filter((s) => atPeriodEnd === undefined || s.cancel_at_period_end === atPeriodEnd)
    .filter((s) => metadataMatches(s.metadata, req.query.metadata, req.url));
  return sortBy(
    filtered,
    req.query.sorting,
    {
      customer: (s) => customers(ctx).get(s.customer_id)?.email,
      status: (s) => s.status,
      started_at: (s) => s.started_at,
      current_period_end: (s) => s.current_period_end,
      ended_at: (s) => s.ended_at,
      ends_at: (s) => s.ends_at,
      amount: (s) => s.amount,
      product: (s) => products(ctx).get(s.product_id)?.name,
      discount: (s) => s.discount_id,
    },
    ["-started_at"],
  );
}

export const subscriptionHandlers: OperationHandlers = {
  "subscriptions:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const all = subscriptions(ctx).byOrganization(organizationId);
    const page = paginate(filterSubscriptions(ctx, req, all), req.query);
    return { ...page, items: page.items.map((s) => subscriptionRead(ctx, s)) };
  },
  "subscriptions:get": (req, ctx) => subscriptionRead(ctx, byId(req, ctx)),
  "subscriptions:update": (req, ctx) =>
    subscriptionRead(ctx, updateSubscription(ctx, byId(req, ctx), req.body)),
  "subscriptions:revoke": (req, ctx) =>
    subscriptionRead(ctx, updateSubscription(ctx, byId(req, ctx), { revoke: true })),
  /** Polar creates subscriptions by API for free recurring products only. */
  "subscriptions:create": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    const body = req.body as {
      product_id: string;
      customer_id?: string;
      metadata?: Record<string, string>;
    };
    const product = findProduct(ctx, organizationId, body.product_id);
    const price = product?.prices.find((p) => !p.is_archived);
    if (!product || !price || product.is_archived)
      throw invalid(["body", "product_id"], "Product does not exist.", body.product_id);
    if (!product.is_recurring)
      throw invalid(["body", "product_id"], "Product is not recurring.", body.product_id);
    if (priceAmount(price) !== 0)
      throw invalid(
        ["body", "product_id"],
        "Only free products can be subscribed to by API.",
        body.product_id,
      );
    const customer = findCustomer(ctx, organizationId, body.customer_id ?? "");
    if (!customer)
      throw invalid(["body", "customer_id"], "Customer does not exist.", body.customer_id);
    const created = batchStateChanges(ctx, () =>
      startSubscription(ctx, {
        organizationId,
        customerId: customer.id,
        product,
        price,
        amount: 0,
        currency: price.price_currency,
        discountId: null,
        checkoutId: null,
        metadata: body.metadata ?? {},
      }),
    );
    return subscriptionRead(ctx, created);
  },
  "subscriptions:export": (req, ctx) => subscriptionsCsv(ctx, organizationOf(req.principal)),
};
