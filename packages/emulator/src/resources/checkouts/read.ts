import type { EmulatorContext } from "../../context.js";
import { benefitRead, benefits } from "../benefits/store.js";
import { discountRead, discounts } from "../discounts/store.js";
import { organizations } from "../organizations/store.js";
import { products, type ProductRecord } from "../products/store.js";
import type { CheckoutRecord } from "./store.js";

/** Where the hosted page of a session lives (on whatever URL the emulator is reached at). */
export const checkoutUrl = (ctx: EmulatorContext, clientSecret: string): string =>
  `${ctx.baseUrl}/checkout/${clientSecret}`;

/**
 * Polar redirects to `success_url` with `{CHECKOUT_ID}` replaced; the percent-encoded
 * form counts too (a strict URI validator only lets `%7BCHECKOUT_ID%7D` through).
 */
export function successUrl(ctx: EmulatorContext, checkout: CheckoutRecord): string {
  const url = checkout.success_url ?? `${checkoutUrl(ctx, checkout.client_secret)}/confirmation`;
  return url.replaceAll("{CHECKOUT_ID}", checkout.id).replaceAll("%7BCHECKOUT_ID%7D", checkout.id);
}

const liveProduct = (ctx: EmulatorContext, product: ProductRecord) => ({
  ...product,
  prices: product.prices.filter((p) => !p.is_archived),
  benefits: product.benefit_ids
    .map((id) => benefits(ctx).get(id))
    .filter((b) => b !== undefined && !b.is_deleted)
    .map((b) => benefitRead(ctx, b!)),
  medias: [],
});

function embedded(ctx: EmulatorContext, checkout: CheckoutRecord) {
  const list = checkout.product_ids
    .map((id) => products(ctx).get(id))
    .filter((p): p is ProductRecord => p !== undefined)
    .map((p) => liveProduct(ctx, p));
  const product = list.find((p) => p.id === checkout.product_id) ?? null;
  const price = product?.prices.find((p) => p.id === checkout.product_price_id) ?? null;
  const discount = checkout.discount_id ? discounts(ctx).get(checkout.discount_id) : undefined;
  const free = (price?.amount_type as string | undefined) === "free";
  return {
    ...checkout,
    url: checkoutUrl(ctx, checkout.client_secret),
    success_url: successUrl(ctx, checkout),
    payment_processor: "stripe",
    payment_processor_metadata: {},
    tax_behavior: null,
    active_trial_interval: checkout.allow_trial
      ? ((products(ctx).get(checkout.product_id)?.trial_interval as string | null | undefined) ??
        null)
      : null,
    active_trial_interval_count: checkout.allow_trial
      ? ((products(ctx).get(checkout.product_id)?.trial_interval_count as
          number | null | undefined) ?? null)
      : null,
    trial_end: null,
    is_discount_applicable: checkout.total_amount > 0 || checkout.discount_amount > 0,
    is_free_product_price: free,
    is_payment_required: checkout.total_amount > 0,
    is_payment_setup_required: Boolean(product?.is_recurring) && checkout.total_amount > 0,
    is_payment_form_required: checkout.total_amount > 0 || Boolean(product?.is_recurring),
    payment_method_type: null,
    billing_address_fields: {
      country: "required",
      state: "disabled",
      city: "disabled",
      postal_code: "disabled",
      line1: "disabled",
      line2: "disabled",
    },
    products: list,
    product,
    product_price: price,
    prices: Object.fromEntries(list.map((p) => [p.id, p.prices])),
    discount: discount ? discountRead(ctx, discount) : null,
    attached_custom_fields: [],
    organization: organizations(ctx).get(checkout.organization_id),
  };
}

/** A session as Polar's `Checkout` (the merchant's view). */
export const checkoutRead = (ctx: EmulatorContext, checkout: CheckoutRecord) =>
  ctx.shaper.shape("Checkout", embedded(ctx, checkout));

/** A session as `CheckoutPublic` (what the buyer's browser sees via the client secret). */
export const checkoutPublicRead = (ctx: EmulatorContext, checkout: CheckoutRecord) =>
  ctx.shaper.shape("CheckoutPublic", embedded(ctx, checkout));

/** After confirmation: `CheckoutPublicConfirmed`, with a customer session token. */
export const checkoutConfirmedRead = (
  ctx: EmulatorContext,
  checkout: CheckoutRecord,
  customerSessionToken: string | null,
) =>
  ctx.shaper.shape("CheckoutPublicConfirmed", {
    ...embedded(ctx, checkout),
    customer_session_token: customerSessionToken,
  });
