import { PaywallError } from "../errors.js";
import type { BucketStore } from "./bucket-store.js";
import { FLOOR_SHARE, type BucketParams, type Priority } from "./token-bucket.js";

export interface BudgetSettings {
  /** Polar requests per minute for everything (default 300; Polar allows 500 per organization). */
  requestsPerMinute: number;
  /** The most of those that sweeps may use per minute (default 100). */
  sweepsPerMinute: number;
  /** How long a first sight may wait for a token before the call is refused, ms. */
  firstSightWaitMs: number;
  /** The bucket's size: requests sent at once after a quiet spell (default perMinute / 6). */
  burst?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The paywall's Polar request budget: a token bucket (in this process, or in Redis for the
 * fleet) that every request draws from, ingestion first, first sights next, checkouts for
 * denials after them, sweeps last
 * (and sweeps also within their own smaller bucket). A 429 pauses everyone until its
 * Retry-After. Counts what each class sent.
 */
export class RequestBudget {
  readonly sent: Record<Priority, number> = {
    ingest: 0,
    "first-sight": 0,
    checkout: 0,
    sweep: 0,
  };
  private readonly main: BucketParams;
  private readonly sweeps: BucketParams;
  private closed = false;
  /** Requests of this process on the wire; after a failure they go one at a time. */
  private inFlight = 0;
  private cautiousUntil = 0;
  private wakeups: (() => void)[] = [];

  constructor(
    private readonly store: BucketStore,
    readonly settings: BudgetSettings,
  ) {
    this.main = {
      perMinute: settings.requestsPerMinute,
      capacity: settings.burst ?? Math.max(5, Math.round(settings.requestsPerMinute / 6)),
    };
    this.sweeps = {
      perMinute: Math.min(settings.sweepsPerMinute, settings.requestsPerMinute),
      capacity: Math.max(2, Math.round(settings.sweepsPerMinute / 12)),
    };
  }

  /**
   * Waits for a token of this class; rejects with PaywallError `budget_exhausted` when
   * `waitMs` (default: as long as it takes) passes first, or once the budget is closed.
   */
  async acquire(priority: Priority, waitMs = Infinity): Promise<void> {
    const deadline = Date.now() + waitMs;
    if (priority === "sweep") await this.wait("sweeps", this.sweeps, 0, deadline);
    await this.wait("main", this.main, FLOOR_SHARE[priority] * this.main.capacity, deadline);
    this.sent[priority] += 1;
  }

  private async wait(
    bucket: string,
    params: BucketParams,
    floor: number,
    deadline: number,
  ): Promise<void> {
    for (;;) {
      if (this.closed) throw new PaywallError("budget_closed", "the paywall is closing");
      const result = await this.store.take(bucket, params, floor);
      if (result.granted) return;
      const now = Date.now();
      if (now + result.waitMs > deadline)
        throw new PaywallError("budget_exhausted", "Polar request budget exhausted");
      // Jitter spreads waiters (and replicas) that would otherwise wake together.
      await sleep(Math.min(result.waitMs, 1000) + Math.random() * 20);
    }
  }

  /**
   * Sends `request` when a token of this class is free. For a minute after Polar failed
   * (429, outage, 5xx) this process sends one request at a time, so that after a 429 nothing
   * else already on the wire reaches Polar before its Retry-After.
   */
  async send<T>(
    priority: Priority,
    waitMs: number | undefined,
    request: () => Promise<T>,
    failed: (error: unknown) => boolean,
  ): Promise<T> {
    while (Date.now() < this.cautiousUntil && this.inFlight > 0)
      await new Promise<void>((resolve) => this.wakeups.push(resolve));
    this.inFlight += 1;
    let failure = false;
    try {
      await this.acquire(priority, waitMs);
      return await request();
    } catch (error) {
      failure = failed(error);
      throw error;
    } finally {
      this.inFlight -= 1;
      if (failure) this.cautiousUntil = Date.now() + 60_000;
      for (const wake of this.wakeups.splice(0)) wake();
    }
  }

  /** Polar answered 429: nobody sends before its Retry-After. */
  rateLimited(retryAfterSeconds: number): void {
    void this.store.pause(Date.now() + retryAfterSeconds * 1000).catch(() => {});
  }

  close(): void {
    this.closed = true;
  }
}
