import type { RateLimitState } from "./limiter.js";

/**
 * Rate-limit response headers in two forms:
 * - `RateLimit-Policy` and `RateLimit` as in the IETF draft (draft-ietf-httpapi-ratelimit-headers,
 *   structured-field lists with one item per policy: `"server";q=120;w=60` and `"server";r=119;t=42`);
 * - `ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` (earlier drafts, what most
 *   clients read), from the most restrictive policy.
 * `Retry-After` is added when a policy refused the request (the longest of their resets).
 */
export function rateLimitHeaders(states: readonly RateLimitState[]): Record<string, string> {
  if (states.length === 0) return {};
  const headers: Record<string, string> = {
    "RateLimit-Policy": states
      .map((s) => `"${s.name}";q=${s.policy.limit};w=${s.policy.windowSeconds}`)
      .join(", "),
    RateLimit: states.map((s) => `"${s.name}";r=${s.remaining};t=${s.resetSeconds}`).join(", "),
  };
  const tightest = mostRestrictive(states);
  headers["ratelimit-limit"] = String(tightest.policy.limit);
  headers["ratelimit-remaining"] = String(tightest.remaining);
  headers["ratelimit-reset"] = String(tightest.resetSeconds);
  const exceeded = states.filter((s) => s.exceeded);
  if (exceeded.length > 0) {
    headers["Retry-After"] = String(Math.max(...exceeded.map((s) => s.resetSeconds)));
  }
  return headers;
}

// Exceeded first, then fewest remaining, then the longest wait.
function mostRestrictive(states: readonly RateLimitState[]): RateLimitState {
  return [...states].sort(
    (a, b) =>
      Number(b.exceeded) - Number(a.exceeded) ||
      a.remaining - b.remaining ||
      b.resetSeconds - a.resetSeconds,
  )[0] as RateLimitState;
}
