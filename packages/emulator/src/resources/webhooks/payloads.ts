import type { BusEvents } from "../../bus.js";
import type { EmulatorContext } from "../../context.js";
import { benefitGrants, benefitGrantRead } from "../benefit-grants/store.js";
import { benefitRead, benefits } from "../benefits/store.js";
import { checkoutRead } from "../checkouts/read.js";
import { discountRead, discounts } from "../discounts/store.js";
import { organizations } from "../organizations/store.js";
import { productRead, products } from "../products/store.js";
import { checkouts } from "../checkouts/store.js";
import { customerRead } from "../customers/read.js";
import { customers } from "../customers/store.js";
import { orderRead } from "../orders/read.js";
import { orders } from "../orders/store.js";
import { refundRead } from "../refunds/read.js";
import { refunds } from "../refunds/store.js";
import { subscriptionRead } from "../subscriptions/read.js";
import { subscriptions } from "../subscriptions/store.js";
import { publishWebhook } from "./publish.js";
import { noteStateChanged } from "./state-changed.js";

type Key = keyof BusEvents;

/** The document's per-type grant webhook schema (`BenefitGrantLicenseKeysWebhook` …). */
const GRANT_SCHEMAS: Record<string, string> = {
  custom: "BenefitGrantCustomWebhook",
  discord: "BenefitGrantDiscordWebhook",
  github_repository: "BenefitGrantGitHubRepositoryWebhook",
  downloadables: "BenefitGrantDownloadablesWebhook",
  license_keys: "BenefitGrantLicenseKeysWebhook",
  meter_credit: "BenefitGrantMeterCreditWebhook",
  feature_flag: "BenefitGrantFeatureFlagWebhook",
  slack_shared_channel: "BenefitGrantSlackSharedChannelWebhook",
};

function grantWebhookData(ctx: EmulatorContext, grantId: string) {
  const grant = benefitGrants(ctx).get(grantId)!;
  const read = benefitGrantRead(ctx, grant) as Record<string, unknown> & {
    benefit?: { type?: string };
  };
  const schema = GRANT_SCHEMAS[read.benefit?.type ?? "custom"] ?? "BenefitGrantCustomWebhook";
  const shaped = ctx.shaper.shape(schema, { ...read, previous_properties: null });
  return { ...shaped, properties: grant.properties };
}

/**
 * Turns the bus's domain events into Polar's webhooks, with the payload each type carries
 * (the document's `Webhook…Payload` schemas), built at the moment of the change. Changes to
 * a customer's subscriptions, grants or record also send `customer.state_changed`.
 */
export function registerWebhookPublishers(ctx: EmulatorContext): void {
  const on = <K extends Key>(
    event: K,
    organizationOf: (payload: BusEvents[K]) => string | undefined,
    data: (payload: BusEvents[K]) => unknown,
    customerOf?: (payload: BusEvents[K]) => string | undefined,
  ) =>
    ctx.bus.on(event, (payload) => {
      const organizationId = organizationOf(payload);
      if (organizationId) publishWebhook(ctx, organizationId, event, () => data(payload));
      const customerId = customerOf?.(payload);
      if (customerId) noteStateChanged(ctx, customerId);
    });

  for (const type of ["checkout.created", "checkout.updated", "checkout.expired"] as const) {
    on(
      type,
      ({ checkoutId }) => checkouts(ctx).get(checkoutId)?.organization_id,
      ({ checkoutId }) => checkoutRead(ctx, checkouts(ctx).get(checkoutId)!),
    );
  }
  for (const type of ["order.created", "order.updated", "order.paid", "order.refunded"] as const) {
    on(
      type,
      ({ orderId }) => orders(ctx).get(orderId)?.organization_id,
      ({ orderId }) => orderRead(ctx, orders(ctx).get(orderId)!),
    );
  }
  const subscriptionTypes = [
    "subscription.created",
    "subscription.updated",
    "subscription.active",
    "subscription.canceled",
    "subscription.uncanceled",
    "subscription.cycled",
    "subscription.revoked",
  ] as const;
  for (const type of subscriptionTypes) {
    on(
      type,
      ({ subscriptionId }) => subscriptions(ctx).get(subscriptionId)?.organization_id,
      ({ subscriptionId }) => subscriptionRead(ctx, subscriptions(ctx).get(subscriptionId)!),
      // created and updated cover every change; the specific types would only repeat them.
      type === "subscription.created" || type === "subscription.updated"
        ? ({ subscriptionId }) => subscriptions(ctx).get(subscriptionId)?.customer_id
        : undefined,
    );
  }
  for (const type of ["refund.created", "refund.updated"] as const) {
    on(
      type,
      ({ refundId }) => refunds(ctx).get(refundId)?.organization_id,
      ({ refundId }) => refundRead(ctx, refunds(ctx).get(refundId)!),
    );
  }
  const grantTypes = [
    ["benefit_grant.granted", "benefit_grant.created"],
    ["benefit_grant.revoked", "benefit_grant.revoked"],
    ["benefit_grant.cycled", "benefit_grant.cycled"],
  ] as const;
  for (const [busEvent, webhook] of grantTypes) {
    ctx.bus.on(busEvent, ({ grantId }) => {
      const grant = benefitGrants(ctx).get(grantId);
      if (!grant) return;
      publishWebhook(ctx, grant.organization_id, webhook, () => grantWebhookData(ctx, grantId));
      if (busEvent !== "benefit_grant.cycled") noteStateChanged(ctx, grant.customer_id);
    });
  }
  for (const type of ["product.created", "product.updated"] as const) {
    on(
      type,
      ({ productId }) => products(ctx).get(productId)?.organization_id,
      ({ productId }) => productRead(ctx, products(ctx).get(productId)!),
    );
  }
  for (const type of ["benefit.created", "benefit.updated"] as const) {
    on(
      type,
      ({ benefitId }) => benefits(ctx).get(benefitId)?.organization_id,
      ({ benefitId }) => benefitRead(ctx, benefits(ctx).get(benefitId)!),
    );
  }
  for (const type of ["discount.created", "discount.updated", "discount.deleted"] as const) {
    on(
      type,
      ({ discountId }) => discounts(ctx).get(discountId)?.organization_id,
      ({ discountId }) => discountRead(ctx, discounts(ctx).get(discountId)!),
    );
  }
  on(
    "organization.updated",
    ({ organizationId }) => organizationId,
    ({ organizationId }) =>
      ctx.shaper.shape("Organization", organizations(ctx).get(organizationId)),
  );
  for (const type of ["customer.created", "customer.updated", "customer.deleted"] as const) {
    on(
      type,
      ({ customerId }) => customers(ctx).get(customerId)?.organization_id,
      ({ customerId }) => customerRead(ctx, customers(ctx).get(customerId)!),
      ({ customerId }) => customerId,
    );
  }
}
