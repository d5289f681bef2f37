import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { invalid, notFound } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso, newId, newSecret } from "../../ids.js";
import { checkoutUrl } from "../checkouts/read.js";
import { createCheckout } from "../checkouts/service.js";
import { discountRead, findDiscount } from "../discounts/store.js";
import { findProduct, products } from "../products/store.js";
import { organizationFilterAdmits, organizationForCreate, organizationOf } from "../scope.js";
import {
  checkoutLinks,
  checkoutLinkUrl,
  findCheckoutLink,
  type CheckoutLinkRecord,
} from "./store.js";

const byId = (req: OperationRequest, ctx: EmulatorContext): CheckoutLinkRecord => {
  const record = findCheckoutLink(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!record) throw notFound();
  return record;
};

function read(ctx: EmulatorContext, link: CheckoutLinkRecord) {
  const discount = link.discount_id
    ? findDiscount(ctx, link.organization_id, link.discount_id)
    : undefined;
  return ctx.shaper.shape("CheckoutLink", {
    ...link,
    payment_processor: "stripe",
    seats: null,
    url: checkoutLinkUrl(ctx, link.client_secret),
    products: link.product_ids
      .map((id) => products(ctx).get(id))
      .filter((p) => p !== undefined)
      .map((p) => ({
        ...p,
        prices: p!.prices.filter((x) => !x.is_archived),
        benefits: [],
        medias: [],
      })),
    discount: discount ? discountRead(ctx, discount) : null,
  });
}

/** The product ids a create or update body names (products, product_id or product_price_id). */
function productIdsOf(
  ctx: EmulatorContext,
  organizationId: string,
  body: Record<string, unknown>,
): string[] {
  let ids: string[];
  if (Array.isArray(body.products)) ids = body.products.map(String);
  else if (typeof body.product_id === "string") ids = [body.product_id];
  else {
    const priceId = String(body.product_price_id);
    const owner = products(ctx)
      .byOrganization(organizationId)
      .find((p) => p.prices.some((price) => price.id === priceId));
    if (!owner) throw invalid(["body", "product_price_id"], "Price does not exist.", priceId);
    ids = [owner.id];
  }
  ids.forEach((id, index) => {
    if (!findProduct(ctx, organizationId, id))
      throw invalid(["body", "products", index], "Product does not exist.", id);
  });
  return ids;
}

const SETTINGS = [
  "label",
  "allow_discount_codes",
  "require_billing_address",
  "trial_interval",
  "trial_interval_count",
  "success_url",
  "return_url",
  "metadata",
] as const;

export const checkoutLinkHandlers: OperationHandlers = {
  "checkout-links:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const productIds = asList(req.query.product_id);
    const items = checkoutLinks(ctx)
      .byOrganization(organizationId)
      .filter((l) => !l.deleted_at)
      .filter((l) => !productIds || l.product_ids.some((id) => productIds.includes(id)));
    const sorted = sortBy(items, req.query.sorting, { created_at: (l) => l.created_at });
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((l) => read(ctx, l)) };
  },
  "checkout-links:create": (req, ctx) => {
    const organizationId = organizationForCreate(req.principal, req.body);
    const body = req.body as Record<string, unknown>;
    if (body.discount_id && !findDiscount(ctx, organizationId, String(body.discount_id)))
      throw invalid(["body", "discount_id"], "Discount does not exist.", body.discount_id);
    const link: CheckoutLinkRecord = {
      id: newId(),
      organization_id: organizationId,
      created_at: iso(ctx.clock.now()),
      modified_at: null,
      client_secret: newSecret("polar_cl_", 24),
      label: null,
      product_ids: productIdsOf(ctx, organizationId, body),
      discount_id: (body.discount_id as string | null | undefined) ?? null,
      allow_discount_codes: true,
      require_billing_address: false,
      trial_interval: null,
      trial_interval_count: null,
      success_url: null,
      return_url: null,
      metadata: {},
      deleted_at: null,
    };
    for (const key of SETTINGS)
      if (body[key] !== undefined) (link as Record<string, unknown>)[key] = body[key];
    return read(ctx, checkoutLinks(ctx).insert(link));
  },
  "checkout-links:get": (req, ctx) => read(ctx, byId(req, ctx)),
  "checkout-links:update": (req, ctx) => {
    const link = byId(req, ctx);
    const body = req.body as Record<string, unknown>;
    const next: CheckoutLinkRecord = { ...link, modified_at: iso(ctx.clock.now()) };
    for (const key of SETTINGS)
      if (body[key] !== undefined) (next as Record<string, unknown>)[key] = body[key];
    if (Array.isArray(body.products))
      next.product_ids = productIdsOf(ctx, link.organization_id, body);
    if (body.discount_id !== undefined) {
      if (body.discount_id && !findDiscount(ctx, link.organization_id, String(body.discount_id)))
        throw invalid(["body", "discount_id"], "Discount does not exist.", body.discount_id);
      next.discount_id = (body.discount_id as string | null) ?? null;
    }
    return read(ctx, checkoutLinks(ctx).put(next));
  },
  "checkout-links:delete": (req, ctx) => {
    const link = byId(req, ctx);
    checkoutLinks(ctx).put({ ...link, deleted_at: iso(ctx.clock.now()) });
    return undefined;
  },
};

/** Visiting a link opens a fresh session and redirects to its hosted page. */
export function registerCheckoutLinkPages(app: Hono, ctx: EmulatorContext): void {
  app.get("/buy/:secret", (c) => {
    const link = checkoutLinks(ctx).findBy("client_secret", c.req.param("secret"))[0];
    if (!link || link.deleted_at) throw notFound("Checkout link not found.");
    const query = new URL(c.req.url).searchParams;
    const checkout = createCheckout(
      ctx,
      link.organization_id,
      {
        products: link.product_ids,
        discount_id: link.discount_id,
        allow_discount_codes: link.allow_discount_codes,
        require_billing_address: link.require_billing_address,
        trial_interval: link.trial_interval,
        trial_interval_count: link.trial_interval_count,
        success_url: link.success_url,
        return_url: link.return_url,
        metadata: link.metadata,
        // Polar's link query prefill: ?customer_email=…&customer_external_id=…
        customer_email: query.get("customer_email"),
        external_customer_id: query.get("customer_external_id"),
      },
      { checkoutLinkId: link.id },
    );
    return c.redirect(checkoutUrl(ctx, checkout.client_secret), 302);
  });
}
