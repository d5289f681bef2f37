import type { EmulatorContext } from "../../context.js";
import { iso } from "../../ids.js";
import { benefitGrants, type BenefitGrantRecord } from "../benefit-grants/store.js";
import { benefits } from "../benefits/store.js";
import { recordSystemEvent } from "../events/system.js";
import { meterCreditProperties } from "../benefits/properties.js";

function grantAndBenefit(ctx: EmulatorContext, grantId: string) {
  const grant = benefitGrants(ctx).get(grantId);
  const benefit = grant ? benefits(ctx).get(grant.benefit_id) : undefined;
  return grant && benefit ? { grant, benefit } : undefined;
}

const grantMetadata = (grant: BenefitGrantRecord, benefitType: string) => ({
  benefit_id: grant.benefit_id,
  benefit_grant_id: grant.id,
  benefit_type: benefitType,
});

/**
 * On a grant, Polar records `benefit.granted` and, for a meter_credit benefit,
 * `meter.credited` with the benefit's units, remembering them in the grant's properties
 * (`last_credited_*`); each grant credits (a second purchase credits again). On a
 * revocation, `benefit.revoked` and a `meter.credited` of minus what the grant last
 * credited, unless another grant of the benefit is still in force: Polar's meter_credit
 * strategy does not revoke individually (`should_revoke_individually` is false), so
 * `revoke_benefit` skips it while the customer keeps the benefit through another grant.
 */
export function registerCreditListeners(ctx: EmulatorContext): void {
  ctx.bus.on("benefit_grant.granted", ({ grantId }) => {
    const found = grantAndBenefit(ctx, grantId);
    if (!found) return;
    const { grant, benefit } = found;
    recordSystemEvent(ctx, grant.organization_id, grant.customer_id, {
      name: "benefit.granted",
      metadata: grantMetadata(grant, benefit.type),
    });
    if (benefit.type !== "meter_credit") return;
    const { meter_id: meterId, units, rollover } = meterCreditProperties(benefit);
    recordSystemEvent(ctx, grant.organization_id, grant.customer_id, {
      name: "meter.credited",
      metadata: { meter_id: meterId, units, rollover: rollover ?? false },
    });
    benefitGrants(ctx).put({
      ...grant,
      properties: {
        ...grant.properties,
        last_credited_meter_id: meterId,
        last_credited_units: units,
        last_credited_at: iso(ctx.clock.now()),
      },
    });
  });

  ctx.bus.on("benefit_grant.revoked", ({ grantId, benefitKept }) => {
    const found = grantAndBenefit(ctx, grantId);
    if (!found) return;
    const { grant, benefit } = found;
    recordSystemEvent(ctx, grant.organization_id, grant.customer_id, {
      name: "benefit.revoked",
      metadata: grantMetadata(grant, benefit.type),
    });
    const meterId = grant.properties.last_credited_meter_id;
    const units = grant.properties.last_credited_units;
    if (
      benefitKept ||
      benefit.type !== "meter_credit" ||
      typeof meterId !== "string" ||
      typeof units !== "number"
    )
      return;
    recordSystemEvent(ctx, grant.organization_id, grant.customer_id, {
      name: "meter.credited",
      metadata: { meter_id: meterId, units: -units, rollover: false },
    });
    const {
      last_credited_meter_id: _meter,
      last_credited_units: _units,
      last_credited_at: _at,
      ...rest
    } = grant.properties;
    benefitGrants(ctx).put({ ...grant, properties: rest });
  });
}

/**
 * Resets a customer's meter (what Polar does at a billing cycle): records `meter.reset`,
 * which closes the consumption and credit window; later credits and usage start from zero.
 */
export function resetCustomerMeter(
  ctx: EmulatorContext,
  organizationId: string,
  customerId: string,
  meterId: string,
): void {
  recordSystemEvent(ctx, organizationId, customerId, {
    name: "meter.reset",
    metadata: { meter_id: meterId },
  });
}
