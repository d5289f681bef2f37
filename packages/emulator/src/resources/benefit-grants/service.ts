import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { iso, newId } from "../../ids.js";
import { findBenefit } from "../benefits/store.js";
import { customers } from "../customers/store.js";
import {
  benefitGrants,
  findGrant,
  grantsOf,
  type BenefitGrantRecord,
  type GrantScope,
} from "./store.js";

export interface GrantTarget {
  customerId: string;
  benefitId: string;
  /**
   * What the grant comes from, as Polar scopes grants: a subscription or an order. Neither
   * (both absent or null) is a standalone grant, such as the control plane's.
   */
  subscriptionId?: string | null;
  orderId?: string | null;
}

const scopeOf = (target: GrantTarget): GrantScope => ({
  subscriptionId: target.subscriptionId ?? null,
  orderId: target.orderId ?? null,
});

/**
 * Grants a benefit to a customer in one scope, as Polar's `grant_benefit`: the grant is
 * looked up by (customer, benefit, scope), so another scope (a second purchase) gets a grant
 * of its own, while the same scope again is idempotent (a revoked grant is restored). Emits
 * `benefit_grant.granted` so that each benefit type does its work (license keys issue or
 * restore the grant's key, meter credits credit units) inside the same transaction.
 */
export function grantBenefit(ctx: EmulatorContext, target: GrantTarget): BenefitGrantRecord {
  return ctx.store.transaction(() => {
    const customer = customers(ctx).get(target.customerId);
    if (!customer || customer.deleted_at) throw notFound("Customer not found.");
    const benefit = findBenefit(ctx, customer.organization_id, target.benefitId);
    if (!benefit) throw notFound("Benefit not found.");
    const scope = scopeOf(target);
    const existing = findGrant(ctx, customer.id, benefit.id, scope);
    if (existing?.is_granted) return existing;
    const now = iso(ctx.clock.now());
    const grant: BenefitGrantRecord = existing
      ? {
          ...existing,
          is_granted: true,
          is_revoked: false,
          granted_at: now,
          revoked_at: null,
          modified_at: now,
        }
      : {
          id: newId(),
          organization_id: customer.organization_id,
          created_at: now,
          modified_at: null,
          customer_id: customer.id,
          benefit_id: benefit.id,
          member_id: null,
          subscription_id: scope.subscriptionId,
          order_id: scope.orderId,
          is_granted: true,
          is_revoked: false,
          granted_at: now,
          revoked_at: null,
          properties: {},
          error: null,
        };
    if (existing) benefitGrants(ctx).put(grant);
    else benefitGrants(ctx).insert(grant);
    ctx.bus.emit("benefit_grant.granted", { grantId: grant.id });
    // Listeners may have written the grant's properties (e.g. the issued key).
    return benefitGrants(ctx).get(grant.id) ?? grant;
  });
}

/**
 * Marks one grant revoked and emits `benefit_grant.revoked`. As Polar's `revoke_benefit`,
 * the benefit type's own revoke runs for that grant only when the type revokes individually
 * (license keys: each grant owns its key) or when no other grant of the benefit is still in
 * force for the customer (`benefitKept` false); a deletion (`delete_benefit_grant`: customer
 * or benefit deleted) always runs it.
 */
function revokeGrant(
  ctx: EmulatorContext,
  existing: BenefitGrantRecord,
  options: { deletion?: boolean } = {},
): BenefitGrantRecord {
  const benefitKept =
    !options.deletion &&
    grantsOf(ctx, existing.customer_id, existing.benefit_id).some(
      (g) => g.id !== existing.id && g.is_granted,
    );
  const now = iso(ctx.clock.now());
  const grant: BenefitGrantRecord = {
    ...existing,
    is_granted: false,
    is_revoked: true,
    revoked_at: now,
    modified_at: now,
  };
  benefitGrants(ctx).put(grant);
  ctx.bus.emit("benefit_grant.revoked", { grantId: grant.id, benefitKept });
  return benefitGrants(ctx).get(grant.id) ?? grant;
}

/**
 * Revokes the grant of one scope (idempotent); other grants of the same benefit stay in
 * force. Returns undefined when that scope never granted the benefit to the customer.
 */
export function revokeBenefit(
  ctx: EmulatorContext,
  target: GrantTarget,
): BenefitGrantRecord | undefined {
  return ctx.store.transaction(() => {
    const existing = findGrant(ctx, target.customerId, target.benefitId, scopeOf(target));
    if (!existing || existing.is_revoked) return existing;
    return revokeGrant(ctx, existing);
  });
}

/**
 * Revokes every grant of a benefit to a customer, whatever its scope, one by one as Polar's
 * `revoke_benefit` would (the control plane's revoke without a scope). Returns the last grant
 * revoked (or, when none was in force, the latest grant), undefined if never granted.
 */
export function revokeBenefitInEveryScope(
  ctx: EmulatorContext,
  customerId: string,
  benefitId: string,
): BenefitGrantRecord | undefined {
  return ctx.store.transaction(() => {
    const grants = grantsOf(ctx, customerId, benefitId);
    let last = grants.at(-1);
    for (const grant of grants) if (grant.is_granted) last = revokeGrant(ctx, grant);
    return last;
  });
}

/**
 * Revokes every live grant of a customer (customer deleted) or of a benefit (benefit
 * deleted), as Polar's `delete_benefit_grant`: each grant's own revoke always runs.
 */
export function revokeAllGrants(
  ctx: EmulatorContext,
  by: { customerId: string } | { benefitId: string },
): void {
  ctx.store.transaction(() => {
    const grants =
      "customerId" in by
        ? benefitGrants(ctx).findBy("customer_id", by.customerId)
        : benefitGrants(ctx).findBy("benefit_id", by.benefitId);
    for (const grant of grants) {
      if (grant.is_granted) revokeGrant(ctx, grant, { deletion: true });
    }
  });
}
