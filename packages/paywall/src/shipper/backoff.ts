/** Exponential backoff with full jitter in [half, full], as Polar's own webhook retries. */
export function backoffMs(
  attempt: number,
  baseMs = 250,
  maxMs = 30_000,
  random = Math.random,
): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}
