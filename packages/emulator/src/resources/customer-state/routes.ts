import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import type { OperationHandlers } from "../../http/operation.js";
import { customerByExternalId, customerById, type CustomerLike } from "../events/customers.js";
import { benefitGrants } from "../benefit-grants/store.js";
import { benefits } from "../benefits/store.js";
import { customerMetersOf } from "../customer-meters/store.js";
import { organizationOf } from "../scope.js";
import { firstUserEventAt } from "../events/first-event.js";

/** The customer's grants that are in force, as `CustomerStateBenefitGrant`. */
function grantedBenefits(ctx: EmulatorContext, customer: CustomerLike) {
  return benefitGrants(ctx)
    .findBy("customer_id", customer.id)
    .filter((g) => g.is_granted)
    .map((g) => {
      const benefit = benefits(ctx).get(g.benefit_id);
      return {
        id: g.id,
        created_at: g.created_at,
        modified_at: g.modified_at,
        granted_at: g.granted_at ?? g.created_at,
        benefit_id: g.benefit_id,
        benefit_type: benefit?.type ?? "custom",
        benefit_metadata: benefit?.metadata ?? {},
        properties: g.properties,
      };
    });
}

/** Active subscriptions, if a subscriptions resource stores any (statuses active and trialing). */
function activeSubscriptions(ctx: EmulatorContext, customer: CustomerLike) {
  return ctx.store
    .collection<{ id: string; customer_id: string; status: string; meters?: unknown[] }>(
      "subscriptions",
    )
    .byOrganization(customer.organization_id)
    .filter((s) => s.customer_id === customer.id)
    .filter((s) => s.status === "active" || s.status === "trialing")
    .map((s) => ({ ...s, meters: s.meters ?? [] }));
}

/**
 * Customer state, as Polar's `CustomerState`: the customer with its active subscriptions,
 * granted benefits and active meters. Balances are exact at once (Polar caches the state
 * for up to an hour and recomputes meters in a debounced job).
 */
export function customerState(ctx: EmulatorContext, customer: CustomerLike) {
  const activeMeters = customerMetersOf(ctx, customer, true).map((m) => ({
    id: m.id,
    created_at: m.created_at,
    modified_at: m.modified_at,
    meter_id: m.meter.id,
    consumed_units: m.consumed_units,
    credited_units: m.credited_units,
    balance: m.balance,
  }));
  const granted = grantedBenefits(ctx, customer);
  const state = ctx.shaper.shape("CustomerState", {
    ...customer,
    first_user_event_at: firstUserEventAt(ctx, customer),
    type: customer.type,
    active_subscriptions: activeSubscriptions(ctx, customer),
    granted_benefits: granted,
    active_meters: activeMeters,
  });
  // Grant properties are an untagged union the shaper cannot choose a branch of; their
  // per-type fields are flat and optional, so the stored objects are valid as they are.
  return { ...state, granted_benefits: granted };
}

export const customerStateHandlers: OperationHandlers = {
  "customers:get_state": (req, ctx) => {
    const customer = customerById(ctx, organizationOf(req.principal), req.path.id ?? "");
    if (!customer) throw notFound();
    return customerState(ctx, customer);
  },
  "customers:get_state_external": (req, ctx) => {
    const customer = customerByExternalId(
      ctx,
      organizationOf(req.principal),
      req.path.external_id ?? "",
    );
    if (!customer) throw notFound();
    return customerState(ctx, customer);
  },
};
