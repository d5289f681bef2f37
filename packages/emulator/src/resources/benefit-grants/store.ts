import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import { benefitRead, benefits } from "../benefits/store.js";
import { customerRead } from "../customers/read.js";
import { customers } from "../customers/store.js";

/**
 * A benefit grant as stored: one per (customer, benefit, scope), as Polar's
 * `get_by_benefit_and_scope`. The scope is what granted it: a subscription, an order, or
 * neither (a standalone grant, e.g. the control plane's). Buying the same product twice
 * gives a second grant; granting the same scope again after a revoke reuses its row, so
 * that grant's license key is restored, not reissued.
 */
export interface BenefitGrantRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  customer_id: string;
  benefit_id: string;
  member_id: string | null;
  subscription_id: string | null;
  order_id: string | null;
  is_granted: boolean;
  is_revoked: boolean;
  granted_at: string | null;
  revoked_at: string | null;
  /** Per type, e.g. license keys: `{ license_key_id, display_key }`; meter credits: last credit. */
  properties: Record<string, unknown>;
  error: null;
  [key: string]: unknown;
}

export const benefitGrants = (ctx: EmulatorContext): Collection<BenefitGrantRecord> =>
  ctx.store.collection<BenefitGrantRecord>("benefit_grants", {
    indexes: ["customer_id", "benefit_id"],
  });

/** What a grant is scoped to; both null is a standalone grant. */
export interface GrantScope {
  subscriptionId: string | null;
  orderId: string | null;
}

/** Every grant of one benefit to one customer, whatever its scope. */
export function grantsOf(
  ctx: EmulatorContext,
  customerId: string,
  benefitId: string,
): BenefitGrantRecord[] {
  return benefitGrants(ctx)
    .findBy("customer_id", customerId)
    .filter((g) => g.benefit_id === benefitId);
}

/** The grant of a benefit to a customer in one scope, if that scope ever granted it. */
export function findGrant(
  ctx: EmulatorContext,
  customerId: string,
  benefitId: string,
  scope: GrantScope,
): BenefitGrantRecord | undefined {
  return grantsOf(ctx, customerId, benefitId).find(
    (g) => g.subscription_id === scope.subscriptionId && g.order_id === scope.orderId,
  );
}

/** A grant as Polar's `BenefitGrant` schema (with its customer and benefit embedded). */
export function benefitGrantRead(ctx: EmulatorContext, grant: BenefitGrantRecord) {
  const customer = customers(ctx).get(grant.customer_id);
  const benefit = benefits(ctx).get(grant.benefit_id);
  const shaped = ctx.shaper.shape("BenefitGrant", {
    ...grant,
    customer: customer ? customerRead(ctx, customer) : undefined,
    benefit: benefit ? benefitRead(ctx, benefit) : undefined,
    member: null,
  });
  // `properties` is an untagged union the shaper cannot pick a branch of; its per-type
  // fields are flat and optional, so the stored object is already valid as is.
  return { ...shaped, properties: grant.properties };
}
