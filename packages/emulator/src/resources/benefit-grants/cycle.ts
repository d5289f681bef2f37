import type { EmulatorContext } from "../../context.js";
import { iso } from "../../ids.js";
import { meterBalance } from "../customer-meters/balance.js";
import { resetCustomerMeter } from "../customer-meters/credits.js";
import { customers } from "../customers/store.js";
import { benefits } from "../benefits/store.js";
import { recordSystemEvent } from "../events/system.js";
import { meters } from "../meters/store.js";
import { benefitGrants } from "./store.js";
import { meterCreditProperties } from "../benefits/properties.js";

/**
 * Cycles a grant at a subscription renewal, as Polar does: records `benefit.cycled` and
 * emits `benefit_grant.cycled`. A meter_credit grant resets the customer's meter, carries
 * over `max(0, min(floor(balance), units last credited))` when the benefit rolls over
 * (Polar carries the unused part of rollover credits, never more than was credited), then
 * credits the benefit's units again.
 */
export function cycleGrant(ctx: EmulatorContext, grantId: string): void {
  const grant = benefitGrants(ctx).get(grantId);
  const benefit = grant ? benefits(ctx).get(grant.benefit_id) : undefined;
  if (!grant || !benefit || !grant.is_granted) return;
  const { organization_id: org, customer_id: customerId } = grant;
  recordSystemEvent(ctx, org, customerId, {
    name: "benefit.cycled",
    metadata: { benefit_id: benefit.id, benefit_grant_id: grant.id, benefit_type: benefit.type },
  });
  if (benefit.type === "meter_credit") {
    const { meter_id: meterId, units, rollover } = meterCreditProperties(benefit);
    const meter = meters(ctx).get(meterId);
    const customer = customers(ctx).get(customerId);
    let carried = 0;
    if (rollover && meter && customer) {
      const lastUnits = Number(grant.properties.last_credited_units ?? units);
      carried = Math.max(
        0,
        Math.min(Math.floor(meterBalance(ctx, meter, customer).balance), lastUnits),
      );
    }
    resetCustomerMeter(ctx, org, customerId, meterId);
    if (carried > 0) {
      recordSystemEvent(ctx, org, customerId, {
        name: "meter.credited",
        metadata: { meter_id: meterId, units: carried, rollover: true },
      });
    }
    recordSystemEvent(ctx, org, customerId, {
      name: "meter.credited",
      metadata: { meter_id: meterId, units, rollover: rollover ?? false },
    });
    benefitGrants(ctx).put({
      ...grant,
      modified_at: iso(ctx.clock.now()),
      properties: {
        ...grant.properties,
        last_credited_meter_id: meterId,
        last_credited_units: units,
        last_credited_at: iso(ctx.clock.now()),
      },
    });
  }
  ctx.bus.emit("benefit_grant.cycled", { grantId: grant.id });
}
