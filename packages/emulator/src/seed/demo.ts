import type { EmulatorContext } from "../context.js";
import { findGrant } from "../resources/benefit-grants/store.js";
import { confirmCheckout } from "../resources/checkouts/confirm.js";
import { createCheckout } from "../resources/checkouts/service.js";
import { isActive, subscriptions } from "../resources/subscriptions/store.js";
import { createBenefit } from "../resources/benefits/service.js";
import { benefits } from "../resources/benefits/store.js";
import { createCustomer, findCustomerByExternalId } from "../resources/customers/store.js";
import { licenseKeys } from "../resources/license-keys/store.js";
import { createOrganization, organizations } from "../resources/organizations/store.js";
import { createProduct } from "../resources/products/service.js";
import { products } from "../resources/products/store.js";
import { createOrganizationToken } from "../tokens/tokens.js";
import { seedDemoUsage, type DemoUsageBenefitIds, type DemoUsageSeed } from "./demo-usage.js";

/** Benefit ids of the demo seed, by what they are for (usage billing adds its own). */
export type DemoBenefitIds = { licenseKeys: string } & DemoUsageBenefitIds;

/** What `seed: 'demo'` creates, returned by createEmulator/startEmulator and `--json`. */
export type DemoSeed = {
  organizationId: string;
  organizationSlug: string;
  /** An organization access token (`polar_oat_…`) with every scope. */
  accessToken: string;
  /** The monthly product the demo customer is subscribed to (its key and credits). */
  productId: string;
  /**
   * A one-time "100 credits" product with the same benefits (the license key and the meter
   * credit): bought again and again, each purchase credits 100 more units (and issues that
   * purchase's key). The organization allows one subscription per customer, as Polar's
   * default, so more credits are bought this way rather than by a second subscription.
   */
  creditsProductId: string;
  benefitIds: DemoBenefitIds;
  customerId: string;
  externalCustomerId: string;
  /** The demo customer's granted license key (prefix `DEMO-`). */
  licenseKey: string;
} & DemoUsageSeed;

const DEMO_SLUG = "polar-mcp-demo";
const DEMO_PRODUCT = "Polar MCP Demo Pro";
const DEMO_CREDITS_PRODUCT = "Polar MCP Demo Credits";
const DEMO_BENEFIT = "Demo license key";
const DEMO_EXTERNAL_ID = "demo-user";

/**
 * Creates the demo organization and its data, idempotently: run twice (or on a persisted
 * database) it returns what is already there.
 */
export function seedDemo(ctx: EmulatorContext): DemoSeed {
  return ctx.store.transaction(() => {
    const organization =
      organizations(ctx).findBy("slug", DEMO_SLUG)[0] ??
      createOrganization(ctx, { name: "Polar MCP Demo", slug: DEMO_SLUG });
    const org = organization.id;
    const token =
      ctx.tokens.byOrganization(org).find((t) => t.comment === "demo") ??
      createOrganizationToken(ctx, org, { comment: "demo" });
    const benefit =
      benefits(ctx)
        .byOrganization(org)
        .find((b) => b.type === "license_keys" && b.description === DEMO_BENEFIT) ??
      createBenefit(ctx, org, {
        type: "license_keys",
        description: DEMO_BENEFIT,
        properties: { prefix: "DEMO", expires: null, activations: null, limit_usage: null },
      });
    let product = products(ctx)
      .byOrganization(org)
      .find((p) => p.name === DEMO_PRODUCT);
    if (!product) {
      const created = createProduct(ctx, org, {
        name: DEMO_PRODUCT,
        description: "Paid tools for the polar-mcp demo.",
        recurring_interval: "month",
        prices: [{ amount_type: "fixed", price_amount: 900, price_currency: "usd" }],
      });
      product = products(ctx).put({ ...created, benefit_ids: [benefit.id] });
    }
    const usage = seedDemoUsage(ctx, { organizationId: org, productId: product.id });
    const creditsProduct =
      products(ctx)
        .byOrganization(org)
        .find((p) => p.name === DEMO_CREDITS_PRODUCT) ??
      products(ctx).put({
        ...createProduct(ctx, org, {
          name: DEMO_CREDITS_PRODUCT,
          description: `${usage.seed.credits} more paid tool calls, bought once (buy again for more).`,
          prices: [{ amount_type: "fixed", price_amount: 500, price_currency: "usd" }],
        }),
        benefit_ids: [benefit.id, usage.benefitIds.meterCredit],
      });
    const customer =
      findCustomerByExternalId(ctx, org, DEMO_EXTERNAL_ID) ??
      createCustomer(ctx, org, {
        email: "demo@example.com",
        name: "Demo Customer",
        external_id: DEMO_EXTERNAL_ID,
      });
    const subscriptionId = buyDemoProduct(ctx, org, product.id, customer.id);
    const grant = findGrant(ctx, customer.id, benefit.id, { subscriptionId, orderId: null });
    const key = licenseKeys(ctx).get(String(grant?.properties.license_key_id));
    return {
      organizationId: org,
      organizationSlug: organization.slug,
      accessToken: token.token,
      productId: product.id,
      creditsProductId: creditsProduct.id,
      customerId: customer.id,
      externalCustomerId: DEMO_EXTERNAL_ID,
      licenseKey: key?.key ?? "",
      ...usage.seed,
      benefitIds: { licenseKeys: benefit.id, ...usage.benefitIds },
    };
  });
}

/**
 * The demo customer buys the demo product through a real checkout, paid with the test card,
 * so the seed's key and credits come from the same chain a buyer's would (order paid →
 * subscription active → benefits granted). Skipped while a subscription is active. Returns
 * the subscription, whose grants hold the seed's key and credits.
 */
function buyDemoProduct(
  ctx: EmulatorContext,
  organizationId: string,
  productId: string,
  customerId: string,
): string | null {
  const active = subscriptions(ctx)
    .findBy("customer_id", customerId)
    .find((s) => s.product_id === productId && isActive(s));
  if (active) return active.id;
  const checkout = createCheckout(ctx, organizationId, {
    products: [productId],
    customer_id: customerId,
  });
  return confirmCheckout(ctx, checkout, {}, { card: { number: "4242 4242 4242 4242" } })
    .subscription_id;
}
