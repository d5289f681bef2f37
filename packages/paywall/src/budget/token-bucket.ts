/**
 * Who asks Polar, in the order they are served: usage ingestion first (it is what bills),
 * then first sights of new customers (a call waits on them), then checkouts for denials (a
 * refused caller's payment link: at most one per customer per 30 min), then sweeps
 * (background).
 */
export type Priority = "ingest" | "first-sight" | "checkout" | "sweep";

export interface BucketParams {
  /** Tokens (requests) per minute. */
  perMinute: number;
  /** The most tokens the bucket holds (a burst). */
  capacity: number;
}

/**
 * Priority by headroom: a class may take a token only while the bucket holds more than its
 * floor, so lower classes leave the last tokens to higher ones. Works the same in one
 * process and in one Redis hash shared by a fleet.
 */
export const FLOOR_SHARE: Record<Priority, number> = {
  ingest: 0,
  "first-sight": 0.2,
  checkout: 0.35,
  sweep: 0.5,
};

export interface BucketState {
  tokens: number;
  /** When `tokens` was last computed (epoch ms). */
  at: number;
  /** No request before this (a 429's Retry-After), epoch ms. */
  pausedUntil: number;
}

export type TakeResult = { granted: true } | { granted: false; waitMs: number };

/** Refills, then takes one token above `floor`; pure, so the Redis script mirrors it. */
export function take(
  state: BucketState,
  now: number,
  params: BucketParams,
  floor: number,
): TakeResult {
  const perMs = params.perMinute / 60_000;
  state.tokens = Math.min(params.capacity, state.tokens + Math.max(0, now - state.at) * perMs);
  state.at = now;
  if (now < state.pausedUntil) return { granted: false, waitMs: state.pausedUntil - now };
  if (state.tokens - 1 >= floor) {
    state.tokens -= 1;
    return { granted: true };
  }
  return { granted: false, waitMs: Math.max(1, Math.ceil((floor + 1 - state.tokens) / perMs)) };
}
