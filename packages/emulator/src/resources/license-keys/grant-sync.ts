import type { EmulatorContext } from "../../context.js";
import { grantBenefit, revokeBenefit } from "../benefit-grants/service.js";
import { benefitGrants } from "../benefit-grants/store.js";
import { findBenefit } from "../benefits/store.js";
import { customers } from "../customers/store.js";
import type { LicenseKeyRecord } from "./store.js";

/**
 * After `PATCH /v1/license-keys/{id}` changed the key's status, as Polar's
 * `license_key.sync_benefit_grant` (since 2026-08): `revoked` revokes the grant that issued
 * the key (benefit.revoked system event, benefit_grant.revoked webhook, customer state);
 * `granted` on a revoked grant grants it again (same key, terms from the benefit). A key
 * without a grant, or a grant already in that state, is left alone.
 */
export function syncGrantWithKey(ctx: EmulatorContext, key: LicenseKeyRecord): void {
  const grant = benefitGrants(ctx)
    .findBy("benefit_id", key.benefit_id)
    .find((g) => g.properties.license_key_id === key.id);
  if (!grant) return;
  const revoke = key.status === "revoked";
  if (revoke ? grant.is_revoked : grant.is_granted) return;
  if (!revoke && key.status !== "granted") return;
  const target = {
    customerId: grant.customer_id,
    benefitId: grant.benefit_id,
    subscriptionId: grant.subscription_id,
    orderId: grant.order_id,
  };
  if (revoke) {
    revokeBenefit(ctx, target);
    return;
  }
  // Granting again needs the customer and the benefit still live (Polar skips it otherwise).
  const customer = customers(ctx).get(grant.customer_id);
  if (!customer || customer.deleted_at) return;
  if (!findBenefit(ctx, grant.organization_id, grant.benefit_id)) return;
  grantBenefit(ctx, target);
}
