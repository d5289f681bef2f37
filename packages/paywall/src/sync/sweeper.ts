import type { models } from "@polar-sh/sdk/2026-10";
import { inTurn, nextTurn } from "../budget/request-budget.js";
import type { PolarApi } from "../polar/polar-api.js";
import { classifyPolarError } from "../polar/polar-errors.js";
import type { PaywallLogger } from "../provider/config.js";
import type { ProductPlan } from "../provider/product-plan.js";
import { Watermark } from "./watermark.js";

export interface SweepIntervals {
  revocationsMs: number;
  grantsMs: number;
  metersMs: number;
  keysMs: number;
}

/** What the sweeps found; the engine decides what it means for the standings it holds. */
export interface SweepTarget {
  /** Keys of the product now `revoked` or `disabled`. */
  keysRevoked(keys: models.LicenseKeyRead[]): Promise<void>;
  /** Every key of the product (edits of `expires_at`, `limit_usage`, status). */
  keysListed(keys: models.LicenseKeyRead[]): Promise<void>;
  /** Customers whose grants of the product's benefits were given or taken. */
  grantsChanged(customerIds: string[]): Promise<void>;
  /** Customer meters Polar recomputed since the last sweep. */
  metersChanged(meters: models.CustomerMeter[]): Promise<void>;
  /** At start: every granted key, granted benefit and customer meter, read in bulk. */
  warm(found: {
    keys: models.LicenseKeyRead[];
    grants: models.BenefitGrant[];
    meters: models.CustomerMeter[];
  }): Promise<void>;
}

/** Only one replica of a fleet sweeps at a time; in one process, always this one. */
export interface SweepLease {
  held(): Promise<boolean>;
  release(): Promise<void>;
}

export const ALWAYS_HELD: SweepLease = { held: async () => true, release: async () => {} };

const PAGE = 100;
const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.() ?? undefined);

/**
 * Bulk delta sweeps through Polar's list endpoints, 100 rows a request, each on its own
 * period and all through the `sweep` class of the request budget, so what they cost follows
 * what changed (and the number of pages), never one request per customer:
 * - revocations: keys of the product with status revoked|disabled (ceil(R/100) requests);
 * - grants: benefit grants newest-granted and newest-revoked first, down to the last sweep;
 * - meters: customer meters newest-modified first, down to the last sweep;
 * - keys: every key of the product, for edits Polar sends no webhook for.
 */
export class Sweeper {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly granted = new Watermark();
  private readonly revoked = new Watermark();
  private readonly meters = new Map<string, Watermark>();
  /** Completed sweeps per task (tests and the bench wait on them). */
  readonly completed = { warm: 0, revocations: 0, grants: 0, meters: 0, keys: 0 };

  constructor(
    private readonly deps: {
      api: PolarApi;
      /** The start-up read is a first sight in bulk: it draws at first-sight priority. */
      warmApi: PolarApi;
      plan: () => Promise<ProductPlan>;
      target: SweepTarget;
      lease: SweepLease;
      logger: PaywallLogger;
    },
    private readonly intervals: SweepIntervals,
  ) {}

  /**
   * Places the marks of the delta sweeps, then reads every customer of the product in bulk
   * (keys, grants, meters: about 3 requests per 100 customers) so that even a fleet restart
   * with 10,000 customers validates no key one by one; then the sweeps run on their periods.
   */
  private warmed: Promise<void> | undefined;

  /**
   * Resolves once the start-up read is over (or after `maxWaitMs`): a key not known yet is
   * validated on its own only then, so a restart never validates the whole fleet one by one.
   * Resolves whether the read completed.
   */
  async ready(maxWaitMs: number): Promise<boolean> {
    if (!this.warmed) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), maxWaitMs);
    });
    try {
      return await Promise.race([this.warmed.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  start(): void {
    // The start-up read goes before every first sight that queues after it (see inTurn).
    this.warmed = inTurn(nextTurn(), async () => {
      try {
        if (await this.deps.lease.held()) {
          await this.sweepGrants();
          await this.sweepMeters();
        }
        await this.warmUp();
        this.completed.warm += 1;
      } catch (error) {
        if (this.stopped) return;
        this.deps.logger.warn("paywall: bulk start-up read failed; customers are read one by one", {
          reason: error instanceof Error ? error.name : "unknown",
        });
      }
      if (!this.stopped) this.startLoops();
    });
    this.loops.push(this.warmed);
  }

  /**
   * A page of the start-up read, asked again while Polar is unavailable or limiting (the
   * budget holds every request until a 429's Retry-After): giving up would mean validating
   * every customer one by one.
   */
  private async persist<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (this.stopped || attempt >= 20 || classifyPolarError(error).kind !== "unavailable")
          throw error;
        await sleep(Math.min(5_000, 250 * attempt));
      }
    }
  }

  async warmUp(): Promise<void> {
    const warmApi = this.deps.warmApi;
    const api: PolarApi = {
      ...warmApi,
      listLicenseKeys: (q) => this.persist(() => warmApi.listLicenseKeys(q)),
      listGrantsOfBenefit: (id, q) => this.persist(() => warmApi.listGrantsOfBenefit(id, q)),
      listCustomerMeters: (q) => this.persist(() => warmApi.listCustomerMeters(q)),
    };
    // Keys only: Polar's customer meters lag their events (a debounced recompute, up to
    // 180 min for a customer who never pauses), so balances are read live per customer.
    const keys = await this.allKeys({ status: ["granted"] }, api);
    const grants: models.BenefitGrant[] = [];
    const meters: models.CustomerMeter[] = [];
    await this.deps.target.warm({ keys, grants, meters });
  }

  private startLoops(): void {
    this.loop("revocations", this.intervals.revocationsMs, () => this.sweepRevocations());
    this.loop("grants", this.intervals.grantsMs, () => this.sweepGrants());
    this.loop("meters", this.intervals.metersMs, () => this.sweepMeters());
    this.loop("keys", this.intervals.keysMs, () => this.sweepKeys());
  }

  private loop(name: keyof Sweeper["completed"], everyMs: number, sweep: () => Promise<void>) {
    const run = async () => {
      // start() swept once already; spread the next sweeps so they do not all ask at once.
      await sleep(everyMs + Math.random() * Math.min(everyMs / 10, 1000));
      while (!this.stopped) {
        const started = Date.now();
        try {
          if (await this.deps.lease.held()) {
            await sweep();
            this.completed[name] += 1;
          }
        } catch (error) {
          if (this.stopped) return;
          this.deps.logger.warn("paywall: sweep failed; it runs again next period", {
            sweep: name,
            reason: error instanceof Error ? error.name : "unknown",
          });
        }
        await sleep(Math.max(0, everyMs - (Date.now() - started)));
      }
    };
    this.loops.push(run());
  }

  private async allKeys(query: { status?: models.LicenseKeyStatus[] }, api = this.deps.api) {
    const plan = await this.deps.plan();
    if (plan.licenseKeyBenefitIds.length === 0) return [];
    const keys: models.LicenseKeyRead[] = [];
    for (let page = 1; !this.stopped; page++) {
      const list = await api.listLicenseKeys({
        benefit_id: plan.licenseKeyBenefitIds,
        ...query,
        page,
        limit: PAGE,
      });
      keys.push(...list.items);
      if (page >= list.pagination.max_page) break;
    }
    return keys;
  }

  async sweepRevocations(): Promise<void> {
    const keys = await this.allKeys({ status: ["revoked", "disabled"] });
    if (keys.length > 0) await this.deps.target.keysRevoked(keys);
  }

  async sweepKeys(): Promise<void> {
    await this.deps.target.keysListed(await this.allKeys({}));
  }

  /** Pages a newest-first list down to its watermark; resolves the new rows. */
  private async newRows<T>(
    mark: Watermark,
    fetchPage: (page: number) => Promise<{ items: T[]; pagination: { max_page: number } }>,
    read: (row: T) => { id: string; timestamp: string | null | undefined },
  ): Promise<T[]> {
    const found: T[] = [];
    const seen: { id: string; timestamp: string }[] = [];
    // The first sweep only places the mark (standings loaded later are read fresh).
    const first = !mark.started;
    for (let page = 1; !this.stopped; page++) {
      const list = await fetchPage(page);
      let past = false;
      for (const row of list.items) {
        const { id, timestamp } = read(row);
        if (!timestamp) continue;
        if (mark.isPast(timestamp)) {
          past = true;
          break;
        }
        seen.push({ id, timestamp });
        if (mark.isNew(id, timestamp)) found.push(row);
      }
      if (first || past || page >= list.pagination.max_page) break;
    }
    if (first) {
      mark.advance(seen.slice(0, 1));
      mark.startAt(new Date().toISOString());
      return [];
    }
    mark.advance(seen);
    return found;
  }

  async sweepGrants(): Promise<void> {
    const plan = await this.deps.plan();
    const benefits = new Set([
      ...plan.licenseKeyBenefitIds,
      ...plan.credits.map((c) => c.benefitId),
    ]);
    const { api } = this.deps;
    const granted = await this.newRows(
      this.granted,
      (page) => api.listBenefitGrants({ sorting: ["-granted_at"], page, limit: PAGE }),
      (g) => ({ id: g.id, timestamp: g.granted_at ? String(g.granted_at) : null }),
    );
    const revoked = await this.newRows(
      this.revoked,
      (page) =>
        api.listBenefitGrants({ is_granted: false, sorting: ["-revoked_at"], page, limit: PAGE }),
      (g) => ({ id: g.id, timestamp: g.revoked_at ? String(g.revoked_at) : null }),
    );
    const customers = new Set<string>();
    for (const grant of [...granted, ...revoked])
      if (benefits.has(grant.benefit_id)) customers.add(grant.customer_id);
    if (customers.size > 0) await this.deps.target.grantsChanged([...customers]);
  }

  async sweepMeters(): Promise<void> {
    const plan = await this.deps.plan();
    for (const credit of plan.credits) {
      let mark = this.meters.get(credit.meterId);
      if (!mark) this.meters.set(credit.meterId, (mark = new Watermark()));
      const changed = await this.newRows(
        mark,
        (page) =>
          this.deps.api.listCustomerMeters({
            meter_id: credit.meterId,
            sorting: ["-modified_at"],
            page,
            limit: PAGE,
          }),
        (m) => ({ id: m.id, timestamp: m.modified_at ? String(m.modified_at) : null }),
      );
      if (changed.length > 0) await this.deps.target.metersChanged(changed);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.deps.lease.release().catch(() => {});
  }
}
