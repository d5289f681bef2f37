import type { RateLimitState } from "./limiter.js";

/** What the gateway saw of one response from Polar. */
export interface UpstreamResponse {
  status: number;
  retryAfter: string | null;
  limit: string | null;
}

/** Polar's documented per-organization quotas (it sends no rate-limit headers of its own). */
export const POLAR_DOCUMENTED_LIMITS = { production: 500, sandbox: 100 } as const;

/**
 * Polar's 429 as a rate-limit state named `polar`, so it is passed on in the same header
 * form as the gateway's own limits: remaining 0, reset = Retry-After (60 s when absent,
 * Polar's window). The limit is the one Polar (or a proxy) sent, else the documented one.
 */
export function upstreamRateLimitState(
  response: UpstreamResponse,
  environment: string,
  now: number,
): RateLimitState {
  const reset = retryAfterSeconds(response.retryAfter, now) ?? 60;
  const sent = Number(response.limit);
  const limit =
    Number.isInteger(sent) && sent > 0
      ? sent
      : environment === "sandbox"
        ? POLAR_DOCUMENTED_LIMITS.sandbox
        : POLAR_DOCUMENTED_LIMITS.production;
  return {
    name: "polar",
    policy: { limit, windowSeconds: 60 },
    remaining: 0,
    resetSeconds: Math.max(0, reset),
    exceeded: true,
  };
}

/** `Retry-After` as whole seconds (delta-seconds or HTTP date). */
export function retryAfterSeconds(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
