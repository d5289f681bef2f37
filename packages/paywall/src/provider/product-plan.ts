import type { models } from "@polar-sh/sdk/2026-10";
import type { PolarApi } from "../polar/polar-api.js";
import type { UsageEvent } from "./result.js";

/** A `meter_credit` benefit of the product: which meter its credits are for. */
export interface CreditPlan {
  benefitId: string;
  meterId: string;
  units: number;
  /** How the meter turns one event into consumed units. */
  aggregation: { func: string; property?: string | null };
  /** Event names the meter counts, when its filter names them (`name eq …`). */
  eventNames: string[] | null;
}

/** What the paywall needs to know about the configured product. */
export interface ProductPlan {
  productId: string;
  /** Ids of the product's `license_keys` benefits: a key must belong to one of them. */
  licenseKeyBenefitIds: string[];
  credits: CreditPlan[];
}

type BenefitLike = { id: string; type: string; properties?: unknown };

/** Event names a meter filter accepts, when it is a plain `name eq X` (or an `or` of them). */
function namesOf(filter: unknown): string[] | null {
  const f = filter as { conjunction?: string; clauses?: unknown[] } | undefined;
  if (!f?.clauses) return null;
  const names: string[] = [];
  for (const clause of f.clauses) {
    const c = clause as { property?: string; operator?: string; value?: unknown };
    if (c.property === "name" && c.operator === "eq" && typeof c.value === "string")
      names.push(c.value);
  }
  if (names.length === 0) return null;
  return f.conjunction === "or" || names.length === 1 ? names : null;
}

/** Loads the product with its benefits, and the meter behind each credit benefit. */
export async function loadProductPlan(api: PolarApi, productId: string): Promise<ProductPlan> {
  const product = await api.getProduct(productId);
  const benefits = (product.benefits ?? []) as BenefitLike[];
  const credits: CreditPlan[] = [];
  for (const benefit of benefits.filter((b) => b.type === "meter_credit")) {
    // The meter is the benefit's properties.meter_id, never the benefit's own id.
    const properties = benefit.properties as { meter_id?: string; units?: number } | undefined;
    if (!properties?.meter_id) continue;
    const meter: models.Meter = await api.getMeter(properties.meter_id);
    credits.push({
      benefitId: benefit.id,
      meterId: properties.meter_id,
      units: properties.units ?? 0,
      aggregation: meter.aggregation as CreditPlan["aggregation"],
      eventNames: namesOf(meter.filter),
    });
  }
  return {
    productId,
    licenseKeyBenefitIds: benefits.filter((b) => b.type === "license_keys").map((b) => b.id),
    credits,
  };
}

/**
 * The units one event consumes on a meter: 1 for `count`, the event's numeric property for
 * `sum`; 0 when the meter does not count this event's name.
 */
export function costOf(event: UsageEvent, credit: CreditPlan): number {
  if (credit.eventNames && !credit.eventNames.includes(event.name)) return 0;
  const { func, property } = credit.aggregation;
  if (func === "count") return 1;
  if ((func === "sum" || func === "max") && property) {
    const key = property.replace(/^metadata\./, "");
    const value = event.metadata?.[key];
    return typeof value === "number" ? value : 0;
  }
  return 1;
}
