import type { Redis } from "ioredis";
import { MemoryBucketStore, RedisBucketStore } from "../budget/bucket-store.js";
import { budgetedApi } from "../budget/budgeted-api.js";
import { RequestBudget } from "../budget/request-budget.js";
import type { PolarApi } from "../polar/polar-api.js";
import type { Configuration, PaywallLogger } from "../provider/config.js";
import { RedisSweepLease } from "../redis/sweep-lease.js";
import { StandingUpdates, type Standings } from "./standing-updates.js";
import { ALWAYS_HELD, Sweeper, type SweepIntervals } from "./sweeper.js";

/** The longest a denial waits for a token to create its checkout. */
const CHECKOUT_WAIT_MS = 2_000;

export const syncEnabled = (config: Configuration): boolean => config.sync?.enabled !== false;

export function sweepIntervals(config: Configuration): SweepIntervals {
  return {
    revocationsMs: config.sync?.revocationsMs ?? 10_000,
    grantsMs: config.sync?.grantsMs ?? 15_000,
    metersMs: config.sync?.metersMs ?? 30_000,
    keysMs: config.sync?.keysMs ?? 60_000,
  };
}

/** The Polar APIs of each budget class, the budget and the sweeper (started once wired). */
export interface SyncParts {
  budget: RequestBudget;
  /**
   * First sights: key validations, customer standings, the product. They wait for the budget
   * as long as it takes (the call waiting on one gives up after `firstSightWaitMs`, the read
   * goes on, so no token is spent on a read abandoned half-way).
   */
  firstSightApi: PolarApi;
  /** Takes a first sight's tokens before it reads (see `RequestBudget.prepay`). */
  prepayFirstSight<T>(count: number, run: () => Promise<T>): Promise<T>;
  /** The shipper's ingestion, first in line. */
  ingestApi: PolarApi;
  /**
   * Checkouts for denials, between first sights and sweeps; waits at most 2 s (or the
   * first-sight wait if shorter), then the denial goes out without a new link.
   */
  checkoutApi: PolarApi;
  /** Starts the sweeps over the engine's standings. */
  start(standings: Standings): Sweeper;
}

/**
 * Builds the request budget (in this process, or the fleet's in Redis) and the APIs drawing
 * from it; `api` should already be behind the circuit breaker.
 */
export function createSyncParts(
  config: Readonly<Configuration>,
  api: PolarApi,
  logger: PaywallLogger,
  shared?: { redis: Redis; prefix: string },
): SyncParts {
  const budget = new RequestBudget(
    shared ? new RedisBucketStore(shared.redis, shared.prefix) : new MemoryBucketStore(),
    {
      requestsPerMinute: config.budget?.requestsPerMinute ?? 300,
      sweepsPerMinute: config.budget?.sweepsPerMinute ?? 100,
      firstSightWaitMs: config.budget?.firstSightWaitMs ?? 10_000,
      ...(config.budget?.burst !== undefined ? { burst: config.budget.burst } : {}),
    },
  );
  const intervals = sweepIntervals(config);
  return {
    budget,
    firstSightApi: budgetedApi(api, budget, "first-sight"),
    prepayFirstSight: (count, run) => budget.prepay("first-sight", count, run),
    ingestApi: budgetedApi(api, budget, "ingest"),
    checkoutApi: budgetedApi(
      api,
      budget,
      "checkout",
      Math.min(CHECKOUT_WAIT_MS, budget.settings.firstSightWaitMs),
    ),
    start(standings) {
      const sweeper = new Sweeper(
        {
          api: budgetedApi(api, budget, "sweep"),
          warmApi: budgetedApi(api, budget, "first-sight"),
          plan: () => standings.plan(),
          target: new StandingUpdates(standings),
          lease: shared
            ? new RedisSweepLease(
                shared.redis,
                `${shared.prefix}sweep-lease`,
                Math.max(...Object.values(intervals)) * 3,
              )
            : ALWAYS_HELD,
          logger,
        },
        intervals,
      );
      sweeper.start();
      return sweeper;
    },
  };
}
