import type { models } from "@polar-sh/sdk/2026-10";
import type { PolarApi } from "../polar/polar-api.js";
import type { CreditPlan, ProductPlan } from "../provider/product-plan.js";
import { accounts, type AccountStanding } from "./ledger.js";

/** What the paywall keeps about a customer besides balances: which benefits they hold. */
export interface CustomerStanding {
  customerId: string;
  grantedBenefitIds: string[];
}

const EPOCH = "2023-01-01T00:00:00Z";

/** The start of the meter's current window: its latest `meter.reset` for this customer. */
async function windowStart(
  api: PolarApi,
  customerId: string,
  meterId: string,
): Promise<string | undefined> {
  const resets = await api.listEvents({
    customer_id: customerId,
    name: "meter.reset",
    source: "system",
    sorting: ["-timestamp"],
    limit: 100,
  });
  const reset = resets.items.find(
    (e) => (e.metadata as Record<string, unknown> | undefined)?.meter_id === meterId,
  );
  return reset?.timestamp;
}

/**
 * Units Polar has counted on the meter for this customer in the current window, read live:
 * Polar's customer-meter balance is recomputed by a debounced job (≥ 15 s behind), but its
 * events are inserted synchronously, and the events list and meter quantities read them
 * as they are. A count meter is the exact number of matching events since the reset; other
 * aggregations use quantities (day buckets: events earlier on the reset's day also count,
 * which can only under-state the balance).
 */
export async function consumedLive(
  api: PolarApi,
  customerId: string,
  credit: CreditPlan,
): Promise<number> {
  const start = await windowStart(api, customerId, credit.meterId);
  if (credit.aggregation.func === "count") {
    const page = await api.listEvents({
      customer_id: customerId,
      meter_id: credit.meterId,
      ...(start ? { start_timestamp: start } : {}),
      limit: 1,
    });
    return page.pagination.total_count;
  }
  const now = new Date();
  const from = start ?? EPOCH;
  const days = (now.getTime() - new Date(from).getTime()) / 86_400_000;
  const quantities = await api.meterQuantities(credit.meterId, {
    start_timestamp: from,
    end_timestamp: now.toISOString(),
    interval: days <= 366 ? "day" : "year",
    customer_id: customerId,
  });
  return quantities.total;
}

/**
 * Reads a customer's standing from Polar: granted benefits from the customer state, credited
 * units per meter from its active meters (credits change only by grants and cycles, which
 * webhooks announce), and consumption live.
 */
export async function loadStanding(
  api: PolarApi,
  plan: ProductPlan,
  customerId: string,
): Promise<{ standing: CustomerStanding; accounts: Record<string, AccountStanding> }> {
  const state: models.CustomerState = await api.getCustomerState(customerId);
  const granted = state.granted_benefits.map((g) => g.benefit_id);
  const found: Record<string, AccountStanding> = {};
  for (const credit of plan.credits) {
    if (!granted.includes(credit.benefitId)) continue;
    const meter = state.active_meters.find((m) => m.meter_id === credit.meterId);
    found[accounts.meter(customerId, credit.meterId)] = {
      credited: meter?.credited_units ?? 0,
      consumed: await consumedLive(api, customerId, credit),
    };
  }
  return { standing: { customerId, grantedBenefitIds: granted }, accounts: found };
}
