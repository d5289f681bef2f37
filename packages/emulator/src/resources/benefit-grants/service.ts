import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { iso, newId } from "../../ids.js";
import { findBenefit } from "../benefits/store.js";
import { customers } from "../customers/store.js";
import { benefitGrants, findGrant, type BenefitGrantRecord } from "./store.js";

export interface GrantTarget {
  customerId: string;
  benefitId: string;
  /** What the grant comes from (Polar scopes grants to a subscription or an order). */
  subscriptionId?: string | null;
  orderId?: string | null;
}

/**
 * Grants a benefit to a customer (idempotent): creates or restores the grant, then emits
 * `benefit_grant.granted` so that each benefit type does its work (license keys issue or
 * restore a key, meter credits credit units) inside the same transaction.
 */
export function grantBenefit(ctx: EmulatorContext, target: GrantTarget): BenefitGrantRecord {
  return ctx.store.transaction(() => {
    const customer = customers(ctx).get(target.customerId);
    if (!customer || customer.deleted_at) throw notFound("Customer not found.");
    const benefit = findBenefit(ctx, customer.organization_id, target.benefitId);
    if (!benefit) throw notFound("Benefit not found.");
    const now = iso(ctx.clock.now());
    const existing = findGrant(ctx, customer.id, benefit.id);
    const scope = {
      subscription_id: target.subscriptionId ?? existing?.subscription_id ?? null,
      order_id: target.orderId ?? existing?.order_id ?? null,
    };
    if (existing?.is_granted) {
      // Already in force (e.g. a second purchase): it now follows the latest source.
      if (target.subscriptionId === undefined && target.orderId === undefined) return existing;
      return benefitGrants(ctx).put({ ...existing, ...scope });
    }
    const grant: BenefitGrantRecord = existing
      ? {
          ...existing,
          ...scope,
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
          ...scope,
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
 * Revokes a customer's grant of a benefit (idempotent) and emits `benefit_grant.revoked`.
 * Returns undefined when the benefit was never granted to the customer.
 */
export function revokeBenefit(
  ctx: EmulatorContext,
  target: GrantTarget,
): BenefitGrantRecord | undefined {
  return ctx.store.transaction(() => {
    const existing = findGrant(ctx, target.customerId, target.benefitId);
    if (!existing || existing.is_revoked) return existing;
    const now = iso(ctx.clock.now());
    const grant: BenefitGrantRecord = {
      ...existing,
      is_granted: false,
      is_revoked: true,
      revoked_at: now,
      modified_at: now,
    };
    benefitGrants(ctx).put(grant);
    ctx.bus.emit("benefit_grant.revoked", { grantId: grant.id });
    return benefitGrants(ctx).get(grant.id) ?? grant;
  });
}

/** Revokes every live grant of a customer (customer deleted) or of a benefit (benefit deleted). */
export function revokeAllGrants(
  ctx: EmulatorContext,
  by: { customerId: string } | { benefitId: string },
): void {
  const grants =
    "customerId" in by
      ? benefitGrants(ctx).findBy("customer_id", by.customerId)
      : benefitGrants(ctx).findBy("benefit_id", by.benefitId);
  for (const grant of grants) {
    if (grant.is_granted)
      revokeBenefit(ctx, { customerId: grant.customer_id, benefitId: grant.benefit_id });
  }
}
