import type { PolarApi } from "../polar/polar-api.js";
import { classifyPolarError } from "../polar/polar-errors.js";
import type { Costs, Ledger } from "../ledger/ledger.js";
import type { Outbox, OutboxEntry } from "../outbox/outbox.js";
import type { PaywallLogger } from "../provider/config.js";
import { backoffMs } from "./backoff.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import type { IoGate } from "./io-gate.js";
import { rejectedIndexes } from "./rejected-events.js";

export interface ShipperOptions {
  /** Events per ingest request (default 1000). */
  batchSize: number;
  /** How often pending events are shipped when fewer than a batch wait, in ms (default 200). */
  intervalMs: number;
}

export interface ShipperDeps {
  outbox: Outbox;
  api: PolarApi;
  ledger: Ledger;
  breaker: CircuitBreaker;
  gate: IoGate;
  organizationId: string;
  logger: PaywallLogger;
  /** Polar reported duplicates: these customers' consumption must be re-read from Polar. */
  onDuplicates(customerIds: string[]): void;
}

type Outcome = "empty" | "shipped" | "failed";

const addCosts = (into: Costs, costs: Costs) => {
  for (const [account, units] of Object.entries(costs))
    into[account] = (into[account] ?? 0) + units;
};

/**
 * Ships the outbox to Polar in the background: batches of events with their stable
 * `external_id`s (Polar drops duplicates, so a resend never bills twice), then the usage
 * increments of limited license keys. `api` is guarded by the circuit breaker: failures back
 * off exponentially, a 429 waits for its `Retry-After`, and nothing is sent while it is open.
 */
export class Shipper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly deps: ShipperDeps,
    private readonly options: ShipperOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.options.intervalMs);
  }

  /** A call was committed: ship at once when a full batch waits. */
  nudge(pending: number): void {
    if (pending >= this.options.batchSize && !this.running && this.failures === 0) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    const run = (async () => {
      let outcome: Outcome = "shipped";
      while (outcome === "shipped" && !this.stopped) {
        outcome = await this.shipOnce();
        if (outcome === "shipped" && this.deps.outbox.size() < this.options.batchSize) break;
      }
      if (outcome === "failed") {
        this.failures += 1;
        const retryAt = Math.max(this.deps.breaker.retryAt, Date.now() + backoffMs(this.failures));
        this.schedule(retryAt - Date.now());
      } else {
        this.failures = 0;
        this.schedule(this.options.intervalMs);
      }
    })();
    this.running = run;
    try {
      await run;
    } finally {
      this.running = undefined;
    }
  }

  /** Ships one batch; resolves what happened. */
  async shipOnce(): Promise<Outcome> {
    const { outbox, breaker } = this.deps;
    if (!breaker.closed) return "failed";
    const entries = outbox.batch(this.options.batchSize);
    if (entries.length === 0) return "empty";
    return this.deps.gate.write(() => this.ship(entries));
  }

  private async ship(entries: OutboxEntry[]): Promise<Outcome> {
    const { api, ledger, outbox, logger } = this.deps;
    const customers = [...new Set(entries.map((e) => e.customerId))];
    const acked: Costs = {};
    await ledger.beginIngest(customers);
    try {
      const fresh = entries.filter((e) => !e.eventAcked);
      if (fresh.length > 0) {
        try {
          const response = await api.ingestEvents(
            fresh.map((e) => ({
              name: e.event.name,
              customer_id: e.customerId,
              external_id: e.externalId,
              metadata: e.event.metadata ?? {},
            })) as Parameters<PolarApi["ingestEvents"]>[0],
          );
          outbox.eventsAcked(fresh);
          for (const e of fresh) {
            addCosts(acked, e.costs);
            e.eventAcked = true;
          }
          if ((response.duplicates ?? 0) > 0) this.deps.onDuplicates(customers);
        } catch (error) {
          const rejected = rejectedIndexes(error);
          if (rejected.size > 0) {
            // One bad event rejects Polar's whole batch: set it aside, ship the rest.
            const bad = fresh.filter((_, i) => rejected.has(i));
            outbox.dead(bad);
            for (const e of bad)
              addCosts(acked, {
                ...e.costs,
                ...(e.licenseKey ? { [e.licenseKey.account]: 1 } : {}),
              });
            logger.error(
              "paywall: Polar rejected usage events; they are kept in the outbox as dead",
              {
                count: bad.length,
                externalIds: bad.map((e) => e.externalId).slice(0, 10),
              },
            );
            return "shipped";
          }
          outbox.attempted(fresh);
          logger.warn("paywall: usage events not shipped yet; retrying", {
            count: fresh.length,
            failure: classifyPolarError(error).kind,
          });
          return "failed";
        }
      }
      return await this.incrementKeys(entries, acked);
    } finally {
      await ledger.acknowledge(customers, acked);
    }
  }

  /** Counts uses of limited keys (`increment_usage`), once their events are in Polar. */
  private async incrementKeys(entries: OutboxEntry[], acked: Costs): Promise<Outcome> {
    const { api, outbox, organizationId, logger } = this.deps;
    const byKey = new Map<string, OutboxEntry[]>();
    for (const e of entries) {
      if (!e.licenseKey || !e.eventAcked) continue;
      byKey.set(e.licenseKey.key, [...(byKey.get(e.licenseKey.key) ?? []), e]);
    }
    for (const [key, group] of byKey) {
      try {
        await api.validateLicenseKey({
          key,
          organization_id: organizationId,
          increment_usage: group.length,
        });
      } catch (error) {
        const failure = classifyPolarError(error);
        if (failure.kind === "unavailable" || failure.kind === "auth") {
          return "failed";
        }
        // The key was revoked or has fewer uses left than were served: the events (what
        // bills) are in Polar; the key's counter cannot take these uses.
        logger.warn("paywall: license key usage not counted", {
          uses: group.length,
          failure: failure.kind,
        });
      }
      outbox.done(group);
      acked[group[0]!.licenseKey!.account] =
        (acked[group[0]!.licenseKey!.account] ?? 0) + group.length;
    }
    return "shipped";
  }

  /** Ships until the outbox is empty; rejects when Polar stays unreachable past the deadline. */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.deps.outbox.size() > 0) {
      if (this.running) {
        await this.running;
        continue;
      }
      const outcome = await this.shipOnce();
      if (outcome === "failed") {
        const wait = Math.max(this.deps.breaker.retryAt - Date.now(), backoffMs(++this.failures));
        if (Date.now() + wait > deadline)
          throw new Error(`${this.deps.outbox.size()} usage events are still waiting for Polar`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      } else if (outcome === "shipped") this.failures = 0;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
