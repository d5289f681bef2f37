import type { CounterHit, CounterTake } from "../registry/types.js";

/** A quota: `limit` units (tool calls, or requests for `protocol`) per fixed window of `windowSeconds`. */
export interface RateLimitPolicy {
  limit: number;
  windowSeconds: number;
}

/** Where one policy stands after a request. */
export interface RateLimitState {
  /** Policy name as shown in the headers: `server`, `account`, `protocol` or `polar`. */
  name: string;
  policy: RateLimitPolicy;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  /** True when this policy refused the request (it would have gone over its limit). */
  exceeded: boolean;
}

/** One counter to take from: a named policy, the key it counts under, and how many units. */
export interface RateLimitCheck {
  name: string;
  key: string;
  policy: RateLimitPolicy;
  /** Units this request spends (its tool calls); 0 only reports where the policy stands. */
  amount: number;
}

/** Fixed-window counters kept by the registry (so they are shared between processes). */
export interface CounterStore {
  take(counters: readonly CounterHit[]): Promise<CounterTake>;
  pruneCounters(windowStart: number): Promise<void>;
}

/** Per-server quota by default: 120 tool calls a minute. */
export const DEFAULT_SERVER_RATE_LIMIT: RateLimitPolicy = { limit: 120, windowSeconds: 60 };
/** Per-account quota by default: 500 tool calls a minute, Polar's own production limit per organization. */
export const DEFAULT_ACCOUNT_RATE_LIMIT: RateLimitPolicy = { limit: 500, windowSeconds: 60 };
/** Per-server quota of requests without a tool call (initialize, lists, ping): 600 a minute. */
export const DEFAULT_PROTOCOL_RATE_LIMIT: RateLimitPolicy = { limit: 600, windowSeconds: 60 };

const PRUNE_EVERY_MS = 60_000;

/**
 * Fixed windows, like Polar's own limits. A request spends its `amount` in every policy
 * it falls under, all or nothing: when any policy would go over its limit, nothing is
 * spent and the request is refused before any of its tool calls runs. Windows align to
 * the epoch, so every process sharing the counters agrees on them.
 */
export function createRateLimiter(store: CounterStore, now: () => number) {
  let lastPrune = 0;
  return async function check(checks: readonly RateLimitCheck[]): Promise<RateLimitState[]> {
    const at = now();
    if (at - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = at;
      const longest = Math.max(...checks.map((c) => c.policy.windowSeconds), 60) * 1000;
      // Pruning is housekeeping: a failure leaves old rows for the next attempt.
      store.pruneCounters(at - 2 * longest).catch(() => (lastPrune = 0));
    }
    const windows = checks.map(({ policy }) => {
      const windowMs = policy.windowSeconds * 1000;
      return { windowMs, windowStart: Math.floor(at / windowMs) * windowMs };
    });
    const { granted, counts } = await store.take(
      checks.map(({ key, amount, policy }, i) => ({
        key,
        windowStart: windows[i]!.windowStart,
        amount,
        limit: policy.limit,
      })),
    );
    return checks.map(({ name, policy, amount }, i) => {
      const { windowMs, windowStart } = windows[i]!;
      const count = counts[i] ?? 0;
      return {
        name,
        policy,
        remaining: Math.max(0, policy.limit - count),
        resetSeconds: Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)),
        exceeded: !granted && amount > 0 && count + amount > policy.limit,
      };
    });
  };
}
