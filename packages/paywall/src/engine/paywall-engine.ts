import { randomUUID } from "node:crypto";
import { loadKeyDecision, type KeyDecision } from "../cache/key-decision.js";
import { SwrCache } from "../cache/swr-cache.js";
import type { CheckoutUrls } from "../checkout/checkout-urls.js";
import { PaywallError } from "../errors.js";
import { accounts, type AccountStanding, type Costs, type Ledger } from "../ledger/ledger.js";
import { inTurn, nextTurn } from "../budget/request-budget.js";
import { loadStanding, type CustomerStanding } from "../ledger/standing-loader.js";
import type { Outbox } from "../outbox/outbox.js";
import type { PolarApi } from "../polar/polar-api.js";
import { classifyPolarError } from "../polar/polar-errors.js";
import type { Authorization } from "../provider/authorize.js";
import type { PaywallLogger } from "../provider/config.js";
import { costOf, type ProductPlan } from "../provider/product-plan.js";
import { messages, type UsageEvent } from "../provider/result.js";
import type { CircuitBreaker } from "../shipper/circuit-breaker.js";
import type { IoGate } from "../shipper/io-gate.js";
import { Shipper } from "../shipper/shipper.js";
import type { SharedStandings } from "../standing/shared-standings.js";
import { StandingUpdates } from "../sync/standing-updates.js";
import type { Sweeper } from "../sync/sweeper.js";
import { WebhookEndpointKeeper } from "../webhooks/endpoint-keeper.js";
import { Denials } from "./denials.js";

export interface EngineSettings {
  ttlMs: number;
  refreshAheadMs: number;
  negativeTtlMs: number;
  productCacheMs: number;
  failMode: "closed" | "open";
  graceMs: number;
  batchSize: number;
  batchIntervalMs: number;
  sessionSpendCap: number | undefined;
  /** Reservations older than this are dropped by the shared ledger (a crashed replica's). */
  reservationTtlMs: number;
  /** How long a key not known yet waits for the start-up read before failing the call. */
  firstSightWaitMs?: number;
}

export interface EngineDeps {
  api: PolarApi;
  productId: string;
  organizationId: string;
  loadPlan: () => Promise<ProductPlan>;
  checkout: CheckoutUrls;
  licenseKeyHeader: string;
  logger: PaywallLogger;
  outbox: Outbox;
  ledger: Ledger;
  breaker: CircuitBreaker;
  gate: IoGate;
  /** Tells other replicas (Redis) that a customer's cached standing is stale. */
  broadcastInvalidation?: (customerId: string) => void;
  /** The shipper's Polar API (the budget's ingestion class); default `api`. */
  ingestApi?: PolarApi;
  /** Validation results and standings shared by the replicas (Redis); kept standings only. */
  shared?: SharedStandings;
  /** Background parts stopped by `close()` (sweeps, the request budget). */
  background?: { stop(): Promise<void> | void }[];
  /** Takes a first sight's budget tokens before its read enters the I/O gate. */
  prepayFirstSight?: <T>(count: number, run: () => Promise<T>) => Promise<T>;
}

export interface AuthorizeOptions {
  /** The MCP session (or agent) making the call, for `sessionSpendCap`. */
  sessionId?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The paid-call hot path of "background" delivery: every decision comes from memory (key
 * validations and customer standings cached with stale-while-revalidate), credits are
 * reserved in the ledger, and a committed call is one INSERT into the outbox. Polar is
 * asked only on a cache miss, in the background before expiry, and by the shipper.
 */
export class PaywallEngine {
  private readonly plans: SwrCache<ProductPlan>;
  private readonly keys: SwrCache<KeyDecision>;
  private readonly standings: SwrCache<CustomerStanding>;
  private readonly denials: Denials;
  readonly shipper: Shipper;
  /** The bulk sweeps keeping standings current (when sync is enabled). */
  sweeper: Sweeper | undefined;
  private sinceNudge = 0;

  constructor(
    private readonly deps: EngineDeps,
    private readonly settings: EngineSettings,
  ) {
    const swr = {
      ttlMs: settings.ttlMs,
      refreshAheadMs: settings.refreshAheadMs,
      graceMs: settings.graceMs,
    };
    // Kept standings: the product is refreshed ahead in the background and, while Polar
    // cannot answer, served as last read, so known customers never wait on it.
    const kept = !Number.isFinite(settings.ttlMs);
    this.plans = new SwrCache(() => deps.loadPlan(), {
      ...swr,
      ttlMs: settings.productCacheMs,
      refreshAheadMs: kept
        ? settings.productCacheMs / 4
        : Math.min(settings.refreshAheadMs, settings.productCacheMs / 4),
      graceMs: kept ? Infinity : settings.graceMs,
    });
    this.keys = new SwrCache(
      (key) => this.loadKey(key),
      swr,
      // A key Polar does not know is asked again soon; a known key's denial is kept as long as
      // a grant is (webhooks and sweeps lift it).
      (decision) =>
        decision.kind === "granted" || decision.customerId
          ? settings.ttlMs
          : settings.negativeTtlMs,
    );
    this.standings = new SwrCache((customerId) => this.loadCustomer(customerId), swr);
    this.denials = new Denials(deps.checkout, deps.licenseKeyHeader);
    for (const entry of deps.outbox.all()) {
      deps.ledger.restorePending({
        ...entry.costs,
        ...(entry.licenseKey ? { [entry.licenseKey.account]: 1 } : {}),
      });
    }
    this.shipper = new Shipper(
      {
        outbox: deps.outbox,
        api: deps.ingestApi ?? deps.api,
        ledger: deps.ledger,
        breaker: deps.breaker,
        gate: deps.gate,
        organizationId: deps.organizationId,
        logger: deps.logger,
        onDuplicates: (customerIds) => {
          // Some events were already in Polar (a resend after a crash): re-read consumption.
          for (const id of customerIds) void this.refreshCustomer(id);
        },
      },
      { batchSize: settings.batchSize, intervalMs: settings.batchIntervalMs },
    );
    this.shipper.start();
  }

  private currentPlan(): Promise<ProductPlan> {
    return this.plans.peek("plan") !== undefined
      ? Promise.resolve(this.plans.peek("plan")!)
      : this.plans.get("plan", this.settings.failMode === "open" || this.keptStandings);
  }

  private get keptStandings(): boolean {
    return !Number.isFinite(this.settings.ttlMs);
  }

  /** Shared results are used only for standings kept until told otherwise (never expiring). */
  private get shared(): SharedStandings | undefined {
    return Number.isFinite(this.settings.ttlMs) ? undefined : this.deps.shared;
  }

  private async loadKey(key: string): Promise<KeyDecision> {
    const plan = await this.currentPlan();
    // Another replica validated it already: the fleet validates a key once.
    const known = await this.shared?.key(key);
    if (known) return known;
    return this.prepaid(1, () =>
      this.deps.gate.read(async () => {
        const { decision } = await loadKeyDecision(
          this.deps.api,
          plan,
          this.deps.organizationId,
          key,
        );
        if (decision.kind === "granted" && decision.limitUsage !== null) {
          const fence = await this.deps.ledger.ingestFence(decision.customerId);
          if (fence !== undefined) {
            await this.deps.ledger.load(
              decision.customerId,
              {
                [accounts.licenseKey(decision.customerId, decision.keyId)]: {
                  credited: decision.limitUsage,
                  consumed: decision.usage,
                },
              },
              fence,
            );
          }
        }
        // Unknown keys are not shared (anyone can send one); known customers' decisions are.
        if (decision.customerId) await this.shared?.putKey(key, decision);
        return decision;
      }),
    );
  }

  /**
   * Runs a first-sight read with its budget tokens taken before it: ingestion waits for
   * reads in the I/O gate, so a read must not wait for the budget while inside it.
   */
  private prepaid<T>(count: number, read: () => Promise<T>): Promise<T> {
    return this.deps.prepayFirstSight ? this.deps.prepayFirstSight(count, read) : read();
  }

  /** Each key's turn in the first-sight line while its first sight is under way. */
  private readonly turns = new Map<string, number>();

  /**
   * A first-sight step of the call with this key, in the key's turn; with kept standings the
   * call waits for it at most `firstSightWaitMs` (the read goes on, and the customer's next
   * call finds it done). `last` ends the key's turn once the step settles.
   */
  private firstSightStep<T>(key: string, step: () => Promise<T>, last: boolean): Promise<T> {
    let turn = this.turns.get(key);
    if (turn === undefined) {
      turn = nextTurn();
      this.turns.set(key, turn);
    }
    const running = inTurn(turn, step);
    running.then(
      () => last && this.turns.delete(key),
      () => this.turns.delete(key),
    );
    if (!this.keptStandings || !this.deps.prepayFirstSight) return running;
    const waitMs = this.settings.firstSightWaitMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new PaywallError(
              "first_sight_pending",
              "still reading this customer from Polar, within its request budget",
            ),
          ),
        waitMs,
      );
    });
    return Promise.race([running, gaveUp]).finally(() => clearTimeout(timer));
  }

  /**
   * Reads the customer's standing and applies it to the ledger only if no ingestion of
   * theirs ran meanwhile (else the live consumption might, or might not, hold it).
   */
  private async loadCustomer(customerId: string): Promise<CustomerStanding> {
    const plan = await this.currentPlan();
    const { ledger, gate, api } = this.deps;
    if (!this.rereading.delete(customerId)) {
      const known = await this.shared?.standing(customerId);
      const held = known
        ? plan.credits.filter((c) => known.grantedBenefitIds.includes(c.benefitId))
        : [];
      const loaded = await Promise.all(
        held.map((c) => ledger.isLoaded(accounts.meter(customerId, c.meterId))),
      );
      if (known && loaded.every(Boolean)) return known;
    }
    return this.prepaid(1 + 2 * plan.credits.length, () =>
      gate.read(async () => {
        let last: CustomerStanding | undefined;
        for (let attempt = 0; attempt < 40; attempt++) {
          const fence = await ledger.ingestFence(customerId);
          if (fence === undefined) {
            await sleep(25);
            continue;
          }
          const loaded = await loadStanding(api, plan, customerId);
          last = loaded.standing;
          if (await ledger.load(customerId, loaded.accounts, fence)) {
            await this.shared?.putStanding(loaded.standing);
            return loaded.standing;
          }
        }
        const stillLoaded = await Promise.all(
          plan.credits.map((c) => ledger.isLoaded(accounts.meter(customerId, c.meterId))),
        );
        // Ingestion never paused: keep the standing we had (local acknowledgements keep it exact).
        if (last && stillLoaded.every(Boolean)) return last;
        throw new PaywallError("ledger_busy", "balance busy");
      }),
    );
  }

  private async refreshCustomer(customerId: string): Promise<void> {
    this.standings.invalidate((id) => id === customerId);
    await this.standings.get(customerId, false).catch(() => {});
  }

  /** Forgets what is cached about a customer (webhooks): the next call asks Polar. */
  async invalidateCustomer(customerId: string, broadcast = true): Promise<void> {
    this.keys.invalidate((_, d) => d.customerId === customerId);
    this.standings.invalidate((id) => id === customerId);
    // The shared copies go first, so no replica told below reads them again.
    if (broadcast) await this.shared?.forgetCustomer(customerId);
    await this.deps.ledger.invalidate(customerId);
    if (broadcast) this.deps.broadcastInvalidation?.(customerId);
  }

  /** The cached decision on a key, if any (no Polar request). */
  cachedKey(key: string): KeyDecision | undefined {
    return this.keys.cached(key);
  }

  /** Sets what is known about a key (a sweep saw it revoked); other replicas forget it. */
  async keyDecided(key: string, decision: KeyDecision): Promise<void> {
    this.keys.put(key, decision);
    if (decision.kind === "denied" && decision.customerId) {
      await this.shared?.putKey(key, decision);
      this.deps.broadcastInvalidation?.(decision.customerId);
    }
  }

  /** A standing read in bulk (start-up): applied unless one is held or usage is being shipped. */
  async standingLearned(
    customerId: string,
    grantedBenefitIds: string[],
    balances: Record<string, AccountStanding>,
  ): Promise<boolean> {
    if (this.standings.cached(customerId)) return true;
    const held = await Promise.all(Object.keys(balances).map((a) => this.deps.ledger.isLoaded(a)));
    if (held.length > 0 && held.every(Boolean)) {
      // Another replica holds it in the shared ledger, exact to the acknowledged event.
      this.standings.put(customerId, { customerId, grantedBenefitIds });
      return true;
    }
    const fence = await this.deps.ledger.ingestFence(customerId);
    if (fence === undefined) return false;
    if (!(await this.deps.ledger.load(customerId, balances, fence))) return false;
    this.standings.put(customerId, { customerId, grantedBenefitIds });
    return true;
  }

  /** The next call with this key asks Polar again (a sweep saw it edited). */
  async forgetKey(key: string): Promise<void> {
    await this.shared?.forgetKey(key);
    this.keys.invalidate((k) => k === key);
  }

  knownBenefits(customerId: string): string[] {
    return this.standings.cached(customerId)?.grantedBenefitIds ?? [];
  }

  /** Applies a `customer.state_changed` webhook's state (see StandingUpdates.stateChanged). */
  customerStateChanged(state: Parameters<StandingUpdates["stateChanged"]>[0]): Promise<void> {
    return new StandingUpdates(this).stateChanged(state);
  }

  /** Whether this process holds a standing of the customer. */
  knowsCustomer(customerId: string): boolean {
    return this.standings.cached(customerId) !== undefined;
  }

  /** Re-reads a customer's standing in the background; calls keep the current one meanwhile. */
  refreshInBackground(customerId: string): void {
    this.rereading.add(customerId);
    this.standings.refresh(customerId);
  }

  /** Customers whose next load must read Polar, not the shared standing. */
  private readonly rereading = new Set<string>();

  ledgerView(account: string) {
    return this.deps.ledger.view(account);
  }

  plan(): Promise<ProductPlan> {
    return this.currentPlan();
  }

  /** Registers the server's webhook endpoint in Polar and keeps it (checked every 10 min). */
  keepWebhookEndpoint(publicUrl: string): WebhookEndpointKeeper {
    const keeper = new WebhookEndpointKeeper(this.deps.api, publicUrl, this.deps.logger);
    keeper.keep();
    this.closedHooks.push(() => keeper.stop());
    return keeper;
  }

  /** Forgets everything cached (product settings changed). */
  invalidateAll(): void {
    this.plans.clear();
    this.keys.clear();
    this.standings.clear();
  }

  async authorize(
    licenseKey: string | undefined | null,
    event: UsageEvent,
    options: AuthorizeOptions = {},
    retried = false,
  ): Promise<Authorization> {
    if (typeof licenseKey !== "string" || licenseKey.trim() === "") return this.denials.missing();
    const key = licenseKey.trim();
    const grace = this.settings.failMode === "open";
    let plan: ProductPlan;
    let decision: KeyDecision;
    try {
      plan = this.plans.peek("plan") ?? (await this.plans.get("plan", grace || this.keptStandings));
      decision =
        this.keys.peek(key) ??
        (await this.firstSightStep(
          key,
          () => this.firstSight(key, grace),
          plan.credits.length === 0,
        ));
    } catch (error) {
      return this.failed(error, "license key validation failed");
    }
    if (decision.kind === "denied") {
      this.turns.delete(key);
      return decision.code === "license_key_expired"
        ? this.denials.expired(decision.expiresAt, decision.customerId)
        : this.denials.notGranted(decision.customerId);
    }
    const { customerId } = decision;
    if (decision.expiresAt && new Date(decision.expiresAt).getTime() <= Date.now())
      return this.denials.expired(decision.expiresAt, customerId);

    const costs: Costs = {};
    const credits: { account: string; cost: number }[] = [];
    if (plan.credits.length > 0) {
      let standing: CustomerStanding;
      try {
        standing =
          this.standings.peek(customerId) ??
          (await this.firstSightStep(key, () => this.standings.get(customerId, grace), true));
      } catch (error) {
        return this.failed(error, "customer state unavailable", customerId);
      }
      const held = plan.credits.filter((c) => standing.grantedBenefitIds.includes(c.benefitId));
      if (held.length === 0) return this.denials.noCreditBenefit(customerId);
      for (const credit of held) {
        const account = accounts.meter(customerId, credit.meterId);
        const cost = costOf(event, credit);
        costs[account] = cost;
        credits.push({ account, cost });
      }
    }
    const keyAccount =
      decision.limitUsage !== null ? accounts.licenseKey(customerId, decision.keyId) : undefined;
    if (keyAccount) costs[keyAccount] = 1;
    const cap = this.settings.sessionSpendCap;
    const capAccount =
      cap !== undefined && options.sessionId
        ? accounts.cap(customerId, options.sessionId)
        : undefined;
    if (capAccount) {
      if (!(await this.deps.ledger.isLoaded(capAccount))) {
        const fence = await this.deps.ledger.ingestFence(customerId);
        if (fence !== undefined)
          await this.deps.ledger.load(
            customerId,
            { [capAccount]: { credited: cap!, consumed: 0 } },
            fence,
          );
      }
      costs[capAccount] = credits.reduce((sum, c) => sum + c.cost, 0);
    }

    const reserved = await this.deps.ledger.reserve(costs, this.settings.reservationTtlMs);
    if (!reserved.ok) {
      const loaded = await this.deps.ledger.isLoaded(reserved.account);
      if (!loaded) {
        // A webhook (or a busy ledger) dropped the standing between the checks: reload once.
        this.standings.invalidate((id) => id === customerId);
        this.keys.invalidate((k) => k === key);
        if (!retried) return this.authorize(licenseKey, event, options, true);
        return this.failed(
          new PaywallError("ledger_busy", "balance reloading"),
          "ledger busy",
          customerId,
        );
      }
      if (reserved.account === keyAccount) {
        const view = await this.deps.ledger.view(keyAccount);
        return this.denials.usageLimit(
          Math.round((view?.consumed ?? 0) + (view?.pending ?? 0)),
          decision.limitUsage ?? 0,
          customerId,
        );
      }
      if (reserved.account === capAccount) return this.denials.sessionCap(cap!, customerId);
      const cost = costs[reserved.account] ?? 0;
      return this.denials.noCredits(cost, Math.max(0, reserved.available), customerId);
    }
    let balance: number | undefined;
    // An event no meter counts is still a metered call: at a zero balance it is denied too.
    const uncounted = credits.length > 0 && credits.every((c) => c.cost === 0);
    for (const { account, cost } of credits) {
      const view = await this.deps.ledger.view(account);
      const left = view ? view.credited - view.consumed - view.pending - view.reserved : 0;
      if (uncounted && left <= 0) {
        await this.deps.ledger.release(reserved.reservation);
        return this.denials.noCredits(0, Math.max(0, left), customerId);
      }
      // What the customer has after this call: its reservation already deducted.
      if (cost >= 0) balance = Math.min(balance ?? Infinity, left);
    }
    return this.accepted(
      customerId,
      key,
      event,
      plan,
      reserved.reservation,
      credits,
      keyAccount,
      capAccount,
      balance,
    );
  }

  private accepted(
    customerId: string,
    key: string,
    reservedEvent: UsageEvent,
    plan: ProductPlan,
    reservation: { id: string; costs: Costs },
    credits: { account: string; cost: number }[],
    keyAccount: string | undefined,
    capAccount: string | undefined,
    balance: number | undefined,
  ): Authorization {
    const externalId = randomUUID();
    let settled = false;
    const { ledger, outbox } = this.deps;
    return {
      valid: true,
      code: "license_key_valid",
      message: messages.valid(),
      customerId,
      externalId,
      ...(balance !== undefined ? { balance } : {}),
      commit: async (event = reservedEvent) => {
        if (settled) return;
        settled = true;
        // Variable costs: the reservation was the estimate; the committed event is the truth.
        const actual: Costs = {};
        for (const { account } of credits) {
          const meterId = account.slice(account.lastIndexOf(":") + 1);
          const credit = plan.credits.find((c) => c.meterId === meterId);
          actual[account] = credit ? costOf(event, credit) : 0;
        }
        if (capAccount) actual[capAccount] = Object.values(actual).reduce((s, u) => s + u, 0);
        try {
          await outbox.enqueue({
            externalId,
            customerId,
            event,
            costs: Object.fromEntries(Object.entries(actual).filter(([a]) => a !== keyAccount)),
            licenseKey: keyAccount ? { key, account: keyAccount } : null,
          });
        } catch (error) {
          await ledger.release(reservation);
          throw new PaywallError("outbox_failed", "the usage event could not be stored", {
            cause: error,
          });
        }
        await ledger.commit(reservation, keyAccount ? { ...actual, [keyAccount]: 1 } : actual);
        this.sinceNudge += 1;
        if (this.sinceNudge >= this.settings.batchSize) {
          this.sinceNudge = 0;
          this.shipper.nudge(outbox.size());
        }
      },
      release: () => {
        if (settled) return;
        settled = true;
        void ledger.release(reservation);
      },
    };
  }

  /** A key not in the cache: wait for the start-up read to know it, else ask Polar. */
  private async firstSight(key: string, grace: boolean): Promise<KeyDecision> {
    if (this.sweeper && !(await this.sweeper.ready(this.settings.firstSightWaitMs ?? 10_000)))
      throw new PaywallError("warming", "the paywall is still reading its customers from Polar");
    return this.keys.peek(key) ?? this.keys.get(key, grace);
  }

  private failed(error: unknown, what: string, customerId?: string): Promise<Authorization> {
    const failure = classifyPolarError(error);
    const reason =
      error instanceof PaywallError && error.code === "misconfigured"
        ? error.message
        : failure.kind === "unavailable"
          ? failure.reason
          : failure.kind === "auth"
            ? "server credentials rejected"
            : "bad request";
    this.deps.logger.error(`paywall: ${what}`, {
      code: "license_key_error",
      failure: failure.kind,
      ...(customerId ? { customerId } : {}),
    });
    return this.denials.unavailable(reason, customerId);
  }

  /** Ships every pending usage event now; rejects if Polar stays unreachable past `timeoutMs`. */
  flush(timeoutMs?: number): Promise<void> {
    return this.shipper.flush(timeoutMs);
  }

  pending(): number {
    return this.deps.outbox.size();
  }

  private readonly closedHooks: (() => void)[] = [];

  /** Runs after `close()` has flushed and closed everything. */
  onClosed(hook: () => void): void {
    this.closedHooks.push(hook);
  }

  async close(timeoutMs = 5000): Promise<void> {
    for (const part of this.deps.background ?? []) await part.stop();
    await this.shipper.stop();
    try {
      await this.shipper.flush(timeoutMs);
    } finally {
      this.deps.outbox.close();
      await this.deps.ledger.close();
      for (const hook of this.closedHooks) hook();
    }
  }
}
