/** Polar's limits: 10 HTTP attempts per event; 10 failed events in a row disable an endpoint. */
export const MAX_ATTEMPTS = 10;
export const DISABLE_AFTER_FAILED_EVENTS = 10;
/** Each attempt may take this long before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;

const FACTOR_MS = 2_000;
const MAX_BACKOFF_MS = 20 * 60_000;

/**
 * The delay before the next attempt after `attempts` failed ones, as Polar's worker computes
 * it (dramatiq's compute_backoff): min(2 s × 2^attempts, 20 min), jittered into [half, full].
 */
export function retryDelay(attempts: number, random: () => number): number {
  const full = Math.min(FACTOR_MS * 2 ** attempts, MAX_BACKOFF_MS);
  const half = full / 2;
  return Math.floor(half + random() * half);
}
