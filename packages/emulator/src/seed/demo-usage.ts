import type { EmulatorContext } from "../context.js";

/*
 * Owned by Emulator II (usage billing). Until it lands, a no-op: the demo seed calls
 * `seedDemoUsage` at its end and merges what it returns into the seed object.
 */

/** What the catalog part of the demo seed hands over (already created, idempotently). */
export interface DemoCatalogSeed {
  organizationId: string;
  productId: string;
  customerId: string;
  externalCustomerId: string;
}

/** Fields usage billing adds to the seed object (e.g. meterId, credits). */
export type DemoUsageSeed = Record<never, never>;
/** Benefit ids usage billing adds to `seed.benefitIds` (e.g. meterCredit). */
export type DemoUsageBenefitIds = Record<never, never>;

export function seedDemoUsage(
  _ctx: EmulatorContext,
  _catalog: DemoCatalogSeed,
): { seed: DemoUsageSeed; benefitIds: DemoUsageBenefitIds } {
  return { seed: {}, benefitIds: {} };
}
