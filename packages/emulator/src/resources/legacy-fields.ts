// Fields real Polar sends beside those its OpenAPI document lists: deprecated ones it keeps
// for older SDKs (hidden from the document with pydantic's `SkipJsonSchema`) and values it
// computes. Polar's official adapters pin SDKs (0.32 express, 0.42 hono, 0.47 better-auth)
// whose zod schemas require them; without these fields those SDKs refuse the responses.
// Reference: polarsource/polar server/polar/{product,order,subscription,checkout,
// checkout_link,organization,license_key,customer}/schemas.py and models/customer.py.
import { createHash } from "node:crypto";
import type { EmulatorContext } from "../context.js";
import { withCheckoutId } from "../http/legacy-requests.js";
import { meters } from "./meters/store.js";
import { organizations } from "./organizations/store.js";
import { products, type ProductRecord } from "./products/store.js";

type Shaped = Record<string, unknown>;

const isObject = (value: unknown): value is Shaped =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/**
 * Polar's `Customer.avatar_url`: a Gravatar URL from the SHA-256 of the lower-cased email
 * (`?d=404`, as `_avatar_url_for_email` without a logo.dev key), whatever the customer type.
 */
export function gravatarUrl(email: string): string {
  const hash = createHash("sha256").update(email.toLowerCase()).digest("hex");
  return `https://www.gravatar.com/avatar/${hash}?d=404`;
}

/** Polar's `legacy_user_public_name`: the name, else the email's local part. */
const publicName = (customer: Shaped): string =>
  text(customer.name) ?? text(customer.email)?.split("@")[0] ?? "";

/** The legacy `user` object (`OrderUser`, `SubscriptionUser`, `LicenseKeyUser`). */
const legacyUser = (customerId: unknown, customer: unknown): Shaped => {
  const c = isObject(customer) ? customer : {};
  return {
    id: customerId,
    email: c.email ?? null,
    public_name: publicName(c),
    avatar_url: c.avatar_url ?? null,
    github_username: null,
  };
};

export function registerLegacyFields(ctx: EmulatorContext): void {
  const shaper = ctx.shaper;
  const productCache = (id: unknown): ProductRecord | undefined =>
    typeof id === "string" ? products(ctx).get(id) : undefined;

  // Customers everywhere they are embedded: a string avatar (SDKs below 0.49 require one).
  // Polar computes it from the email; a customer without one takes its organization's.
  const customerSchemas = shaper
    .schemasWith("avatar_url", "email", "organization_id")
    .filter((name) => !name.startsWith("Organization"));
  shaper.extend(customerSchemas, (out) => {
    if (typeof out.avatar_url === "string") return;
    const email = text(out.email);
    if (email) {
      out.avatar_url = gravatarUrl(email);
      return;
    }
    const organization =
      typeof out.organization_id === "string"
        ? organizations(ctx).get(out.organization_id)
        : undefined;
    out.avatar_url = organization?.avatar_url ?? null;
  });

  // Prices: `type` and `recurring_interval` come from the product (ProductPriceBase);
  // seat-based prices keep `price_per_seat`; metered prices carry their meter.
  const priceSchemas = shaper
    .schemasWith("amount_type", "product_id", "is_archived")
    .filter((name) => !name.startsWith("Legacy"));
  shaper.extend(priceSchemas, (out) => {
    const product = productCache(out.product_id);
    const interval = product?.recurring_interval ?? null;
    out.type = interval ? "recurring" : "one_time";
    out.recurring_interval = interval;
    if (out.amount_type === "seat_based" && isObject(out.seat_tiers)) {
      const tiers = out.seat_tiers.tiers;
      const first = Array.isArray(tiers) && isObject(tiers[0]) ? tiers[0] : undefined;
      if (first) out.price_per_seat = first.price_per_seat;
    }
    if (out.amount_type === "metered_unit" && typeof out.meter_id === "string") {
      const meter = meters(ctx).get(out.meter_id);
      if (meter) {
        out.meter = {
          id: meter.id,
          name: meter.name,
          unit: meter.unit,
          custom_label: meter.custom_label ?? null,
          custom_multiplier: meter.custom_multiplier ?? null,
        };
      }
    }
  });

  /** The price an order or subscription was bought at (Polar's `legacy_product_price`). */
  const legacyPrice = (out: Shaped): Shaped | null => {
    const items = Array.isArray(out.items) ? out.items.filter(isObject) : [];
    const priceId = items.map((i) => i.product_price_id).find((id) => typeof id === "string");
    const prices = productCache(out.product_id)?.prices ?? [];
    const price = prices.find((p) => p.id === priceId) ?? prices[0];
    return price ? shaper.shape("ProductPrice", price) : null;
  };

  // Orders (OrderBase: amount, from_balance_amount, product_price_id; Order: user_id, user,
  // product_price), in the organization's API and the customer portal alike.
  shaper.extend(["Order", "CustomerOrder"], (out) => {
    out.amount = out.net_amount;
    out.from_balance_amount = out.applied_balance_amount ?? 0;
    const price = legacyPrice(out);
    out.product_price_id = price?.id ?? null;
    out.user_id = out.customer_id;
    out.product_price = price;
    if (isObject(out.customer)) out.user = legacyUser(out.customer_id, out.customer);
  });
  shaper.extend(["OrderSubscription", "CustomerSubscription", "Subscription"], (out) => {
    out.user_id = out.customer_id;
  });
  // Subscriptions: `price_id` / `price` (the first price), `user` (Subscription).
  shaper.extend(["Subscription", "CustomerSubscription"], (out) => {
    const prices = Array.isArray(out.prices) ? out.prices.filter(isObject) : [];
    const price = prices[0] ?? (isObject(out.product) ? legacyPrice(out) : null);
    if (price) {
      out.price_id = price.id;
      out.price = price;
    }
    if (isObject(out.customer)) out.user = legacyUser(out.customer_id, out.customer);
  });
  // License keys: `user_id`, `user`.
  shaper.extend(["LicenseKeyRead", "LicenseKeyWithActivations", "ValidatedLicenseKey"], (out) => {
    out.user_id = out.customer_id;
    if (isObject(out.customer)) out.user = legacyUser(out.customer_id, out.customer);
  });
  // Checkouts: `customer_external_id` (as `external_customer_id`), `subtotal_amount`.
  shaper.extend(["Checkout"], (out) => {
    out.customer_external_id = out.external_customer_id ?? null;
  });
  shaper.extend(["Checkout", "CheckoutPublic", "CheckoutPublicConfirmed"], (out) => {
    if (typeof out.success_url === "string" && typeof out.id === "string")
      out.success_url = withCheckoutId(out.success_url, out.id);
    out.subtotal_amount = out.net_amount ?? null;
    // The boolean form Polar's `Checkout.customer_billing_address_fields` computes.
    const fields = isObject(out.billing_address_fields) ? out.billing_address_fields : {};
    const shown = (key: string) => fields[key] !== undefined && fields[key] !== "disabled";
    out.customer_billing_address_fields = {
      country: true,
      state: shown("state"),
      line1: shown("line1"),
      line2: false,
      city: shown("city"),
      postal_code: shown("postal_code"),
    };
  });
  // Checkout links: the first product and its first price (`product_id`, `product`, …).
  shaper.extend(["CheckoutLink"], (out) => {
    const first = Array.isArray(out.products) ? out.products.find(isObject) : undefined;
    if (!first) return;
    const price = Array.isArray(first.prices) ? first.prices.find(isObject) : undefined;
    out.product_id = first.id;
    out.product = first;
    if (price) {
      out.product_price_id = price.id;
      out.product_price = price;
    }
  });
  // Benefit grants: `user_id` (BenefitGrantBase).
  shaper.extend(shaper.schemasWith("benefit_id", "customer_id", "is_granted"), (out) => {
    out.user_id = out.customer_id;
  });
  // Customer state: each active subscription's `price_id`.
  shaper.extend(["CustomerStateSubscription"], (out) => {
    const prices = productCache(out.product_id)?.prices ?? [];
    const price = prices.find((p) => !p.is_archived) ?? prices[0];
    if (price) out.price_id = price.id;
  });

  // Organizations: the deprecated attributes of OrganizationBase, Organization's static
  // `notification_settings`, and OrganizationPublicBase's hidden ones in embedded copies.
  const organizationSchemas = shaper
    .schemasWith("slug", "avatar_url", "proration_behavior")
    .filter((name) => !/Create|Update/.test(name));
  shaper.extend(organizationSchemas, (out) => {
    for (const key of ["bio", "company", "blog", "location", "twitter_username"]) out[key] = null;
    out.pledge_minimum_amount = 0;
    out.pledge_badge_show_amount = false;
    out.default_upfront_split_to_contributors = null;
    const stored = typeof out.id === "string" ? organizations(ctx).get(out.id) : undefined;
    if (!stored) return;
    out.email ??= stored.email ?? null;
    out.website ??= stored.website ?? null;
    out.socials ??= stored.socials ?? [];
    out.status ??= stored.status;
    out.details_submitted_at ??= stored.details_submitted_at ?? null;
    out.feature_settings ??= stored.feature_settings ?? null;
    out.subscription_settings ??= stored.subscription_settings;
    out.customer_email_settings ??= stored.customer_email_settings ?? {
      order_confirmation: true,
      subscription_cancellation: true,
      subscription_confirmation: true,
      subscription_cycled: true,
      subscription_past_due: true,
      subscription_revoked: true,
      subscription_uncanceled: true,
      subscription_updated: true,
    };
  });
  shaper.extend(["Organization"], (out) => {
    out.notification_settings = {
      new_order: true,
      new_subscription: true,
      chargeback_prevention: true,
      subscription_renewal: false,
    };
  });
}
