import type { models } from "@polar-sh/sdk/2026-10";
import type { KeyDecision } from "../cache/key-decision.js";
import { accounts, type AccountStanding, type AccountView } from "../ledger/ledger.js";
import type { ProductPlan } from "../provider/product-plan.js";
import type { SweepTarget } from "./sweeper.js";

/** What the sweeps may read and change in the engine's standings (nothing else). */
export interface Standings {
  plan(): Promise<ProductPlan>;
  cachedKey(key: string): KeyDecision | undefined;
  keyDecided(key: string, decision: KeyDecision): Promise<void>;
  forgetKey(key: string): Promise<void>;
  knowsCustomer(customerId: string): boolean;
  /** The benefits a held standing says the customer has. */
  knownBenefits(customerId: string): string[];
  refreshInBackground(customerId: string): void;
  invalidateCustomer(customerId: string): Promise<void>;
  ledgerView(account: string): Promise<AccountView | undefined>;
  /** Applies a standing read in bulk, unless the customer's is already loaded or ingesting. */
  standingLearned(
    customerId: string,
    grantedBenefitIds: string[],
    balances: Record<string, AccountStanding>,
  ): Promise<boolean>;
}

const sameInstant = (a: string | null | undefined, b: string | null | undefined) =>
  (a ? Date.parse(a) : null) === (b ? Date.parse(b) : null);

/**
 * Applies what the sweeps found to the standings this process holds; customers it never
 * saw cost nothing. Every change costs at most one re-read of the customer or key it is
 * about, so Polar traffic follows changes, not customers.
 */
export class StandingUpdates implements SweepTarget {
  constructor(private readonly standings: Standings) {}

  async keysRevoked(keys: models.LicenseKeyRead[]): Promise<void> {
    for (const key of keys) {
      const held = this.standings.cachedKey(key.key);
      if (held?.kind !== "granted") continue;
      await this.standings.keyDecided(key.key, {
        kind: "denied",
        code: "license_key_not_granted",
        customerId: key.customer_id,
      });
    }
  }

  async keysListed(keys: models.LicenseKeyRead[]): Promise<void> {
    await this.keysRevoked(keys.filter((k) => k.status !== "granted"));
    for (const key of keys) {
      const held = this.standings.cachedKey(key.key);
      if (!held) continue;
      if (held.kind === "denied") {
        // Granted again (re-enabled), or the expiry moved: ask Polar on the next call.
        if (key.status === "granted" && held.customerId) await this.standings.forgetKey(key.key);
        continue;
      }
      if (
        key.status === "granted" &&
        (!sameInstant(held.expiresAt, key.expires_at) ||
          (held.limitUsage ?? null) !== (key.limit_usage ?? null))
      )
        await this.standings.forgetKey(key.key);
    }
  }

  /**
   * Start-up in bulk: each granted key of the product becomes a validation result, so no key
   * is validated one by one after a restart. Standings (benefits, balances) are read per
   * customer on first use, live: Polar's customer meters lag their events.
   */
  async warm(found: {
    keys: models.LicenseKeyRead[];
    grants: models.BenefitGrant[];
    meters: models.CustomerMeter[];
  }): Promise<void> {
    const plan = await this.standings.plan();
    for (const key of found.keys) {
      if (key.status !== "granted" || !plan.licenseKeyBenefitIds.includes(key.benefit_id)) continue;
      // Limited keys are validated on their own: their usage counter goes to the ledger.
      if ((key.limit_usage ?? null) !== null || this.standings.cachedKey(key.key)) continue;
      await this.standings.keyDecided(key.key, {
        kind: "granted",
        customerId: key.customer_id,
        keyId: key.id,
        limitUsage: null,
        usage: key.usage,
        expiresAt: key.expires_at ?? null,
      });
    }
  }

  /**
   * A `customer.state_changed` webhook carries the customer's state: Polar sends one after
   * every recompute of their meters, so it is applied, never a reason to re-read. Benefits of
   * the product granted or taken: the customer is forgotten (re-read on the next call); credits
   * or another client's usage: re-read in the background; else nothing.
   */
  async stateChanged(state: {
    id: string;
    granted_benefits?: { benefit_id: string }[];
    active_meters?: { meter_id: string; credited_units: number; consumed_units: number }[];
  }): Promise<void> {
    if (!this.standings.knowsCustomer(state.id)) return;
    const plan = await this.standings.plan();
    const ours = [...plan.licenseKeyBenefitIds, ...plan.credits.map((c) => c.benefitId)];
    const held = new Set((state.granted_benefits ?? []).map((g) => g.benefit_id));
    const known = new Set(this.standings.knownBenefits(state.id));
    if (ours.some((b) => held.has(b) !== known.has(b))) {
      await this.standings.invalidateCustomer(state.id);
      return;
    }
    await this.metersChanged(
      (state.active_meters ?? []).map((m) => ({ ...m, customer_id: state.id })),
    );
  }

  async grantsChanged(customerIds: string[]): Promise<void> {
    for (const id of customerIds)
      if (this.standings.knowsCustomer(id)) await this.standings.invalidateCustomer(id);
  }

  /**
   * A recomputed customer meter matters when its credits differ from ours (a grant, a cycle)
   * or when Polar counted more than we know of (another client used the meter: Polar's
   * lagging count can never exceed our acknowledged plus pending units otherwise). Then the
   * standing is re-read in the background, fenced against our own ingestion.
   */
  async metersChanged(
    meters: Pick<
      models.CustomerMeter,
      "customer_id" | "meter_id" | "credited_units" | "consumed_units"
    >[],
  ): Promise<void> {
    for (const meter of meters) {
      if (!this.standings.knowsCustomer(meter.customer_id)) continue;
      const view = await this.standings.ledgerView(
        accounts.meter(meter.customer_id, meter.meter_id),
      );
      if (!view?.loaded) continue;
      const foreign = meter.consumed_units > view.consumed + view.pending + 1e-9;
      if (meter.credited_units !== view.credited || foreign)
        this.standings.refreshInBackground(meter.customer_id);
    }
  }
}
