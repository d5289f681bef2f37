/** What the server knows about a 429 when it gives up waiting. */
export interface RateLimitInfo {
  retryAfterSeconds: number | undefined;
  retryAt: string | undefined;
  /** Rate-limit headers Polar (or a proxy) sent, if any. */
  headers: Record<string, string>;
}

const RATE_LIMIT_HEADERS = [
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
];

/** `Retry-After` as seconds (delta-seconds or HTTP date); undefined when absent or invalid. */
export function retryAfterSeconds(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

export function rateLimitInfo(response: Response, now: number): RateLimitInfo {
  const seconds = retryAfterSeconds(response.headers.get("retry-after"), now);
  const headers: Record<string, string> = {};
  for (const name of RATE_LIMIT_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return {
    retryAfterSeconds: seconds,
    retryAt: seconds === undefined ? undefined : new Date(now + seconds * 1000).toISOString(),
    headers,
  };
}

/**
 * Polar's documented limits, for the message when the server stops waiting: Polar sends
 * no X-RateLimit-* headers, so the figures come from its documentation.
 */
export function documentedLimits(baseUrl: string): string {
  if (/sandbox/i.test(baseUrl)) {
    return "Polar sandbox allows 100 requests per minute per organization (10 on restricted endpoints).";
  }
  return "Polar allows 500 requests per minute per organization in production (100 in sandbox; 60 and 10 on restricted endpoints).";
}
