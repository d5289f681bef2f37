import type { EmulatorContext } from "../context.js";
import { iso, newId } from "../ids.js";
import { createBenefit } from "../resources/benefits/service.js";
import { benefits } from "../resources/benefits/store.js";
import { backfillMeter } from "../resources/meters/matching.js";
import { invalidateActiveMeters, meters, type MeterRecord } from "../resources/meters/store.js";
import { products } from "../resources/products/store.js";

/** What the catalog part of the demo seed hands over (already created, idempotently). */
export interface DemoCatalogSeed {
  organizationId: string;
  productId: string;
  customerId: string;
  externalCustomerId: string;
}

/** Fields usage billing adds to the seed object. */
export interface DemoUsageSeed {
  /** The `tool_call` meter: counts events named `tool_call`. */
  meterId: string;
  /** Units the demo customer was credited on that meter. */
  credits: number;
}
/** Benefit ids usage billing adds to `seed.benefitIds`. */
export interface DemoUsageBenefitIds {
  /** The meter_credit benefit (100 units of `tool_call`), attached to the demo product. */
  meterCredit: string;
}

const METER_NAME = "tool_call";
const CREDITS = 100;

function toolCallMeter(ctx: EmulatorContext, organizationId: string): MeterRecord {
  const existing = meters(ctx)
    .byOrganization(organizationId)
    .find((m) => m.name === METER_NAME);
  if (existing) return existing;
  const meter: MeterRecord = {
    id: newId(),
    organization_id: organizationId,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    name: METER_NAME,
    unit: "scalar",
    custom_label: null,
    custom_multiplier: null,
    filter: {
      conjunction: "and",
      clauses: [{ property: "name", operator: "eq", value: METER_NAME }],
    },
    aggregation: { func: "count" },
    metadata: {},
    archived_at: null,
  };
  meters(ctx).insert(meter);
  backfillMeter(ctx, meter);
  invalidateActiveMeters(ctx);
  return meter;
}

/**
 * The usage part of the demo (idempotent): a `tool_call` meter and a meter_credit benefit
 * of 100 units on it, attached to the demo product (buying the product grants it).
 */
export function seedDemoUsage(
  ctx: EmulatorContext,
  catalog: Omit<DemoCatalogSeed, "customerId" | "externalCustomerId">,
): { seed: DemoUsageSeed; benefitIds: DemoUsageBenefitIds } {
  const org = catalog.organizationId;
  const meter = toolCallMeter(ctx, org);
  const benefit =
    benefits(ctx)
      .byOrganization(org)
      .find(
        (b) => b.type === "meter_credit" && b.properties.meter_id === meter.id && !b.is_deleted,
      ) ??
    createBenefit(ctx, org, {
      type: "meter_credit",
      description: "100 tool calls",
      properties: { units: CREDITS, rollover: false, meter_id: meter.id },
    });
  const product = products(ctx).get(catalog.productId);
  const benefitIds = (product?.benefit_ids as string[] | undefined) ?? [];
  if (product && !benefitIds.includes(benefit.id)) {
    products(ctx).put({ ...product, benefit_ids: [...benefitIds, benefit.id] });
  }
  return {
    seed: { meterId: meter.id, credits: CREDITS },
    benefitIds: { meterCredit: benefit.id },
  };
}
