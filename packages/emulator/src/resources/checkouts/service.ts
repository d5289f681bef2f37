import type { EmulatorContext } from "../../context.js";
import { invalid, notPermitted, HttpError } from "../../http/errors.js";
import { iso, newId, newSecret } from "../../ids.js";
import {
  customers,
  findCustomer,
  findCustomerByExternalId,
  type Metadata,
} from "../customers/store.js";
import { findDiscount, findDiscountByCode, isApplicable } from "../discounts/store.js";
import { organizations } from "../organizations/store.js";
import { findProduct, type PriceRecord, type ProductRecord } from "../products/store.js";
import { isActive, subscriptions } from "../subscriptions/store.js";
import { checkoutAmounts } from "./amounts.js";
import { checkouts, type CheckoutRecord } from "./store.js";

/** Polar's checkout sessions live 24 hours (`CHECKOUT_TTL_SECONDS`). */
export const CHECKOUT_TTL_MS = 24 * 60 * 60 * 1000;

/** The fields of `CheckoutProductsCreate` the emulator honours. */
export interface CheckoutInput {
  products: string[];
  amount?: number | null;
  discount_id?: string | null;
  allow_discount_codes?: boolean;
  require_billing_address?: boolean;
  allow_trial?: boolean;
  trial_interval?: string | null;
  trial_interval_count?: number | null;
  customer_id?: string | null;
  external_customer_id?: string | null;
  customer_name?: string | null;
  customer_email?: string | null;
  customer_billing_name?: string | null;
  customer_billing_address?: Record<string, unknown> | null;
  customer_tax_id?: string | null;
  customer_ip_address?: string | null;
  is_business_customer?: boolean;
  customer_metadata?: Metadata;
  metadata?: Metadata;
  custom_field_data?: Record<string, unknown>;
  success_url?: string | null;
  return_url?: string | null;
  embed_origin?: string | null;
  locale?: string | null;
  subscription_id?: string | null;
}

const livePrice = (product: ProductRecord): PriceRecord | undefined =>
  product.prices.find((p) => !p.is_archived);

/** Each listed product must be a live product of the organization with a price. */
function resolveProducts(ctx: EmulatorContext, organizationId: string, ids: string[]) {
  return ids.map((id, index) => {
    const product = findProduct(ctx, organizationId, id);
    if (!product || product.is_archived || !livePrice(product))
      throw invalid(["body", "products", index], "Product does not exist.", id);
    return product;
  });
}

function resolveDiscount(
  ctx: EmulatorContext,
  organizationId: string,
  productId: string,
  discountId: string | null | undefined,
  loc: (string | number)[],
) {
  if (!discountId) return undefined;
  const discount = findDiscount(ctx, organizationId, discountId);
  if (!discount || !isApplicable(discount, productId, ctx.clock.now()))
    throw invalid(loc, "Discount does not exist.", discountId);
  return discount;
}

/** Creates an open checkout session for the first listed product (others are selectable). */
export function createCheckout(
  ctx: EmulatorContext,
  organizationId: string,
  input: CheckoutInput,
  extra: { checkoutLinkId?: string } = {},
): CheckoutRecord {
  const products = resolveProducts(ctx, organizationId, input.products);
  const product = products[0]!;
  const price = livePrice(product)!;
  let customerId = input.customer_id ?? null;
  if (customerId && !findCustomer(ctx, organizationId, customerId))
    throw invalid(["body", "customer_id"], "Customer does not exist.", customerId);
  const byExternal = input.external_customer_id
    ? findCustomerByExternalId(ctx, organizationId, input.external_customer_id)
    : undefined;
  customerId ??= byExternal?.id ?? null;
  const customer = customerId ? findCustomer(ctx, organizationId, customerId) : undefined;
  const discount = resolveDiscount(ctx, organizationId, product.id, input.discount_id, [
    "body",
    "discount_id",
  ]);
  const now = ctx.clock.now();
  const record: CheckoutRecord = {
    id: newId(),
    organization_id: organizationId,
    created_at: iso(now),
    modified_at: null,
    status: "open",
    client_secret: newSecret("polar_c_", 24),
    expires_at: iso(new Date(now.getTime() + CHECKOUT_TTL_MS)),
    success_url: input.success_url ?? null,
    return_url: input.return_url ?? null,
    embed_origin: input.embed_origin ?? null,
    ...checkoutAmounts(price, discount, input.amount),
    product_ids: products.map((p) => p.id),
    product_id: product.id,
    product_price_id: price.id,
    discount_id: discount?.id ?? null,
    allow_discount_codes: input.allow_discount_codes ?? true,
    require_billing_address: input.require_billing_address ?? false,
    allow_trial: input.allow_trial ?? true,
    trial_interval: input.trial_interval ?? null,
    trial_interval_count: input.trial_interval_count ?? null,
    customer_id: customerId,
    external_customer_id: input.external_customer_id ?? customer?.external_id ?? null,
    customer_name: input.customer_name ?? customer?.name ?? null,
    customer_email: input.customer_email ?? customer?.email ?? null,
    customer_billing_name: input.customer_billing_name ?? null,
    customer_billing_address: input.customer_billing_address ?? null,
    customer_tax_id: input.customer_tax_id ?? null,
    customer_ip_address: input.customer_ip_address ?? null,
    is_business_customer: input.is_business_customer ?? false,
    customer_metadata: input.customer_metadata ?? {},
    metadata: input.metadata ?? {},
    custom_field_data: input.custom_field_data ?? {},
    locale: input.locale ?? null,
    subscription_id: input.subscription_id ?? null,
    order_id: null,
    checkout_link_id: extra.checkoutLinkId ?? null,
    payment_error: null,
  };
  return ctx.store.transaction(() => {
    checkouts(ctx).insert(record);
    ctx.bus.emit("checkout.created", { checkoutId: record.id });
    return record;
  });
}

/** 410 for an expired session, 403 for one already confirmed or done (Polar's checks). */
export function assertOpen(ctx: EmulatorContext, checkout: CheckoutRecord): void {
  if (checkout.status === "open" && new Date(checkout.expires_at) <= ctx.clock.now())
    expireCheckout(ctx, checkout);
  const current = checkouts(ctx).get(checkout.id) ?? checkout;
  if (current.status === "expired")
    throw new HttpError(410, "ResourceUnavailable", "This checkout session has expired.");
  if (current.status !== "open")
    throw notPermitted(`Checkout is not open: its status is ${current.status}.`);
}

/**
 * Polar's `_validate_subscription_uniqueness`, run on every update and on confirm: unless
 * the organization allows multiple subscriptions, a customer with an active subscription
 * cannot start another (403 `AlreadyActiveSubscriptionError`). One-time products are never
 * refused; the customer is the session's (by id or external id), else found by email.
 */
export function assertSubscriptionUnique(ctx: EmulatorContext, checkout: CheckoutRecord): void {
  const settings = organizations(ctx).get(checkout.organization_id)?.subscription_settings as
    { allow_multiple_subscriptions?: boolean } | undefined;
  if (settings?.allow_multiple_subscriptions) return;
  if (!findProduct(ctx, checkout.organization_id, checkout.product_id)?.is_recurring) return;
  const org = checkout.organization_id;
  const known =
    (checkout.customer_id && findCustomer(ctx, org, checkout.customer_id)) ||
    (checkout.external_customer_id &&
      findCustomerByExternalId(ctx, org, checkout.external_customer_id)) ||
    undefined;
  const email = checkout.customer_email?.toLowerCase();
  const candidates = known
    ? [known]
    : email
      ? customers(ctx)
          .byOrganization(org)
          .filter((c) => !c.deleted_at && c.email?.toLowerCase() === email)
      : [];
  const subscribed = candidates.some((c) =>
    subscriptions(ctx)
      .findBy("customer_id", c.id)
      .some((s) => s.organization_id === org && isActive(s)),
  );
  if (subscribed)
    throw new HttpError(
      403,
      "AlreadyActiveSubscriptionError",
      "You already have an active subscription.",
    );
}

/** Fields a merchant (or the customer, through the client API) may change on an open session. */
export type CheckoutPatch = Partial<CheckoutInput> & {
  product_id?: string | null;
  discount_code?: string | null;
};

const PLAIN_FIELDS = [
  "customer_name",
  "customer_email",
  "customer_billing_name",
  "customer_billing_address",
  "customer_tax_id",
  "customer_ip_address",
  "is_business_customer",
  "customer_metadata",
  "metadata",
  "custom_field_data",
  "locale",
  "success_url",
  "return_url",
  "embed_origin",
  "allow_discount_codes",
  "require_billing_address",
  "allow_trial",
  "trial_interval",
  "trial_interval_count",
] as const;

/** Applies a patch to an open session and recomputes its amounts; emits `checkout.updated`. */
export function updateCheckout(
  ctx: EmulatorContext,
  checkout: CheckoutRecord,
  patch: CheckoutPatch,
): CheckoutRecord {
  assertOpen(ctx, checkout);
  const next = applyPatch(ctx, checkout, patch);
  assertSubscriptionUnique(ctx, next);
  return ctx.store.transaction(() => {
    checkouts(ctx).put(next);
    ctx.bus.emit("checkout.updated", { checkoutId: next.id });
    return next;
  });
}

/** The session with a patch applied and amounts recomputed (not saved). */
export function applyPatch(
  ctx: EmulatorContext,
  checkout: CheckoutRecord,
  patch: CheckoutPatch,
): CheckoutRecord {
  const next: CheckoutRecord = { ...checkout, modified_at: iso(ctx.clock.now()) };
  const fields = next as Record<string, unknown>;
  for (const field of PLAIN_FIELDS) {
    if (patch[field] !== undefined && (patch[field] !== null || field.startsWith("customer_")))
      fields[field] = patch[field];
  }
  if (patch.product_id) {
    if (!checkout.product_ids.includes(patch.product_id))
      throw invalid(
        ["body", "product_id"],
        "Product is not available in this checkout.",
        patch.product_id,
      );
    next.product_id = patch.product_id;
  }
  const product = findProduct(ctx, checkout.organization_id, next.product_id)!;
  const price = livePrice(product)!;
  next.product_price_id = price.id;
  if (patch.discount_id !== undefined)
    next.discount_id =
      resolveDiscount(ctx, checkout.organization_id, product.id, patch.discount_id, [
        "body",
        "discount_id",
      ])?.id ?? null;
  if (patch.discount_code) {
    const discount = findDiscountByCode(ctx, checkout.organization_id, patch.discount_code);
    if (
      !next.allow_discount_codes ||
      !discount ||
      !isApplicable(discount, product.id, ctx.clock.now())
    )
      throw invalid(["body", "discount_code"], "Discount code is invalid.", patch.discount_code);
    next.discount_id = discount.id;
  }
  const discount = next.discount_id
    ? findDiscount(ctx, checkout.organization_id, next.discount_id)
    : undefined;
  const requested = patch.amount ?? (price.amount_type === "custom" ? checkout.amount : null);
  Object.assign(next, checkoutAmounts(price, discount, requested));
  return next;
}

/** An open session past its `expires_at` becomes expired (`checkout.expired`). */
export function expireCheckout(ctx: EmulatorContext, checkout: CheckoutRecord): void {
  if (checkout.status !== "open") return;
  ctx.store.transaction(() => {
    checkouts(ctx).put({ ...checkout, status: "expired", modified_at: iso(ctx.clock.now()) });
    ctx.bus.emit("checkout.expired", { checkoutId: checkout.id });
  });
}
