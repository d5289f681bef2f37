// Request bodies in forms Polar still accepts although its document no longer lists them
// (pydantic validation aliases and before-validators on the server), rewritten into the
// document's form before validation, as Polar reads them:
// - `customer_external_id` for `external_customer_id` (checkout and customer-session create,
//   `AliasChoices("external_customer_id", "customer_external_id")`);
// - checkout bodies with `product_id` or `product_price_id` (the legacy `CheckoutProductCreate`
//   and `CheckoutPriceCreate`) instead of `products`;
// - prices with `amount_type: "free"` (`_coerce_legacy_free_price`: a fixed price of 0);
// - `success_url` / `return_url` as pydantic's `HttpUrl` reads them: spaces, brackets and
//   braces percent-encoded, non-ASCII hosts in punycode; `{CHECKOUT_ID}` is kept (and
//   replaced by the checkout's id when Polar answers with `success_url`).
import type { EmulatorContext } from "../context.js";
import { products } from "../resources/products/store.js";

type Body = Record<string, unknown>;
const isObject = (value: unknown): value is Body =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const renameExternalId = (body: Body): Body => {
  if (!("customer_external_id" in body)) return body;
  const { customer_external_id: legacy, ...rest } = body;
  return "external_customer_id" in rest ? rest : { ...rest, external_customer_id: legacy };
};

/** Percent-encodes what the document's `uri` format refuses and browsers leave raw. */
const escapeUrlPart = (part: string): string =>
  part.replace(
    /[{}[\]|^`\\ "<>]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );

/**
 * A redirect URL as pydantic's `HttpUrl` normalizes it; anything that is not an http(s)
 * URL is left for validation to refuse with Polar's message.
 */
export function normalizeRedirectUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return value;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return value;
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ""}@` : "";
  return `${url.protocol}//${auth}${url.host}${escapeUrlPart(url.pathname)}${escapeUrlPart(url.search)}${escapeUrlPart(url.hash)}`;
}

/** `{CHECKOUT_ID}` in a stored redirect URL, raw or percent-encoded. */
const CHECKOUT_ID_PLACEHOLDER = /\{CHECKOUT_ID\}|%7BCHECKOUT_ID%7D/gi;

/** Polar's `Checkout.success_url`: the placeholder replaced by the checkout's id. */
export const withCheckoutId = (url: string, checkoutId: string): string =>
  url.replace(CHECKOUT_ID_PLACEHOLDER, checkoutId);

const normalizeUrls = (body: Body): Body => {
  const out = { ...body };
  for (const key of ["success_url", "return_url"]) {
    if (typeof out[key] === "string") out[key] = normalizeRedirectUrl(out[key]);
  }
  return out;
};

const freePriceAsFixed = (price: unknown): unknown => {
  if (!isObject(price) || price.amount_type !== "free") return price;
  const out: Body = { amount_type: "fixed", price_amount: 0 };
  for (const key of ["price_currency", "tax_behavior"]) if (key in price) out[key] = price[key];
  return out;
};

const withFreePrices = (body: Body): Body =>
  Array.isArray(body.prices) ? { ...body, prices: body.prices.map(freePriceAsFixed) } : body;

/** The legacy single-product checkout bodies as `products: [id]`. */
function checkoutProducts(ctx: EmulatorContext, body: Body): Body {
  if ("products" in body) return body;
  const { product_id: productId, product_price_id: priceId, ...rest } = body;
  if (typeof productId === "string") return { ...rest, products: [productId] };
  if (typeof priceId === "string") {
    const owner = products(ctx)
      .all()
      .find((p) => p.prices.some((price) => price.id === priceId));
    // An unknown price keeps its id where `products` goes: validation then answers for it.
    return { ...rest, products: [owner?.id ?? priceId] };
  }
  return body;
}

/** Rewrites a request body Polar would accept in a legacy form into the document's form. */
export function upgradeLegacyBody(
  ctx: EmulatorContext,
  operationId: string,
  body: unknown,
): unknown {
  if (!isObject(body)) return body;
  switch (operationId) {
    case "checkouts:create":
      return normalizeUrls(checkoutProducts(ctx, renameExternalId(body)));
    case "checkouts:update":
    case "checkouts:client_update":
    case "checkout-links:create":
    case "checkout-links:update":
      return normalizeUrls(body);
    case "customer-sessions:create":
      return normalizeUrls(renameExternalId(body));
    case "products:create":
    case "products:update":
      return withFreePrices(body);
    default:
      return body;
  }
}
