import { AsyncLocalStorage } from "node:async_hooks";
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
 * Turns order the requests waiting in one class of this process: a request made inside
 * `inTurn(turn, …)` is served before any with a later turn, so a new customer's three reads
 * go out one after another instead of each queuing behind every other customer's (which
 * would finish nobody's first sight until everybody's had begun). Others get the next turn.
 */
const TURN = new AsyncLocalStorage<number>();
let turns = 0;
export const nextTurn = (): number => ++turns;
export const inTurn = <T>(turn: number, run: () => T): T => TURN.run(turn, run);

/** Tokens taken ahead by `prepay` for the requests made inside it. */
const PREPAID = new AsyncLocalStorage<{
  budget: RequestBudget;
  priority: Priority;
  left: number;
}>();

interface Waiter {
  turn: number;
  wake: () => void;
}

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
  /** This process's waiting requests per class, by turn; only the first asks the store. */
  private readonly lines: Record<Priority, Waiter[]> = {
    ingest: [],
    "first-sight": [],
    checkout: [],
    sweep: [],
  };

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
    let sweepToken = priority !== "sweep";
    await this.inLine(priority, TURN.getStore() ?? nextTurn(), deadline, async (first) => {
      if (!sweepToken) {
        if (!(await this.wait("sweeps", this.sweeps, 0, deadline, first))) return false;
        sweepToken = true;
      }
      const floor = FLOOR_SHARE[priority] * this.main.capacity;
      return this.wait("main", this.main, floor, deadline, first);
    });
    this.sent[priority] += 1;
  }

  /**
   * Takes `count` tokens of this class first, then runs `run`, whose requests of the class
   * spend them instead of waiting (more than `count` wait as usual). A read that must not
   * overlap ingestion holds no lock while it waits for the budget.
   */
  async prepay<T>(priority: Priority, count: number, run: () => Promise<T>): Promise<T> {
    for (let i = 0; i < count; i++) await this.acquire(priority);
    return PREPAID.run({ budget: this, priority, left: count }, run);
  }

  /**
   * Waits for this waiter's turn at the head of its class's line, then runs `take`, which
   * gives the head back (resolves false) when an earlier turn arrived meanwhile.
   */
  private async inLine(
    priority: Priority,
    turn: number,
    deadline: number,
    take: (first: () => boolean) => Promise<boolean>,
  ): Promise<void> {
    const line = this.lines[priority];
    const me: Waiter = { turn, wake: () => {} };
    let at = line.length;
    while (at > 0 && (line[at - 1] as Waiter).turn > turn) at--;
    line.splice(at, 0, me);
    const first = () => line[0] === me;
    try {
      for (;;) {
        while (!first()) {
          if (this.closed) throw new PaywallError("budget_closed", "the paywall is closing");
          const left = deadline - Date.now();
          if (left <= 0)
            throw new PaywallError("budget_exhausted", "Polar request budget exhausted");
          await new Promise<void>((resolve) => {
            const timer = Number.isFinite(left) ? setTimeout(resolve, left) : undefined;
            me.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        if (await take(first)) return;
      }
    } finally {
      const index = line.indexOf(me);
      if (index >= 0) line.splice(index, 1);
      // After this turn's own next request (if it makes one at once) has queued.
      setImmediate(() => line[0]?.wake());
    }
  }

  private async wait(
    bucket: string,
    params: BucketParams,
    floor: number,
    deadline: number,
    first: () => boolean,
  ): Promise<boolean> {
    for (;;) {
      if (this.closed) throw new PaywallError("budget_closed", "the paywall is closing");
      // An earlier turn queued while this one slept: it goes first.
      if (!first()) return false;
      const result = await this.store.take(bucket, params, floor);
      if (result.granted) return true;
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
    const prepaid = PREPAID.getStore();
    if (prepaid?.budget === this && prepaid.priority === priority && prepaid.left > 0)
      prepaid.left -= 1;
    else await this.acquire(priority, waitMs);
    // Only requests on the wire count: one waiting for a token (a sweep while first sights
    // use the budget) must not hold every other request back.
    while (Date.now() < this.cautiousUntil && this.inFlight > 0)
      await new Promise<void>((resolve) => this.wakeups.push(resolve));
    this.inFlight += 1;
    let failure = false;
    try {
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
    for (const line of Object.values(this.lines)) line[0]?.wake();
  }
}
