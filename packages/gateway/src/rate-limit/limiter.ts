/** A quota: `limit` requests per fixed window of `windowSeconds`. */
export interface RateLimitPolicy {
  limit: number;
  windowSeconds: number;
}

/** Where one policy stands after a request. */
export interface RateLimitState {
  /** Policy name as shown in the headers: `server`, `account` or `polar`. */
  name: string;
  policy: RateLimitPolicy;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  exceeded: boolean;
}

/** One counter to hit: a named policy and the key it counts under. */
export interface RateLimitCheck {
  name: string;
  key: string;
  policy: RateLimitPolicy;
}

/** Fixed-window counters kept by the registry (so they are shared between processes). */
export interface CounterStore {
  hit(counters: ReadonlyArray<{ key: string; windowStart: number }>): Promise<number[]>;
  pruneCounters(windowStart: number): Promise<void>;
}

/** Per-server quota by default: 120 requests a minute. */
export const DEFAULT_SERVER_RATE_LIMIT: RateLimitPolicy = { limit: 120, windowSeconds: 60 };
/** Per-account quota by default: 500 a minute, Polar's own production limit per organization. */
export const DEFAULT_ACCOUNT_RATE_LIMIT: RateLimitPolicy = { limit: 500, windowSeconds: 60 };

const PRUNE_EVERY_MS = 60_000;

/**
 * Fixed windows, like Polar's own limits: each request counts once in every policy it
 * falls under, and is refused when any count goes over its limit. Windows align to the
 * epoch, so every process sharing the counters agrees on them.
 */
export function createRateLimiter(store: CounterStore, now: () => number) {
  let lastPrune = 0;
  return async function check(checks: readonly RateLimitCheck[]): Promise<RateLimitState[]> {
    const at = now();
    if (at - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = at;
      const longest = Math.max(...checks.map((c) => c.policy.windowSeconds), 60) * 1000;
      void store.pruneCounters(at - 2 * longest).catch(() => undefined);
    }
    const windows = checks.map(({ policy }) => {
      const windowMs = policy.windowSeconds * 1000;
      return { windowMs, windowStart: Math.floor(at / windowMs) * windowMs };
    });
    const counts = await store.hit(
      checks.map(({ key }, i) => ({ key, windowStart: windows[i]!.windowStart })),
    );
    return checks.map(({ name, policy }, i) => {
      const { windowMs, windowStart } = windows[i]!;
      const count = counts[i] ?? 0;
      return {
        name,
        policy,
        remaining: Math.max(0, policy.limit - count),
        resetSeconds: Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)),
        exceeded: count > policy.limit,
      };
    });
  };
}
