import type { PolarRequest } from "./request.js";
import { retryAfterSeconds } from "./rate-limit.js";

export interface SendOptions {
  fetch: typeof globalThis.fetch;
  /** Longest Retry-After the server waits out before retrying (seconds). */
  maxRetryAfterSeconds: number;
  /** Retries after a 429 (default 2). */
  maxRetries?: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/**
 * Sends a request; on 429 waits out `Retry-After` when it is within the bound and retries,
 * else returns the 429 response for the caller to report. Network errors propagate.
 */
export async function sendPolarRequest(
  request: PolarRequest,
  options: SendOptions,
): Promise<Response> {
  const maxRetries = options.maxRetries ?? 2;
  for (let attempt = 0; ; attempt += 1) {
    const init: RequestInit = { method: request.method, headers: request.headers };
    if (request.body !== undefined) init.body = request.body;
    const response = await options.fetch(request.url, init);
    if (response.status !== 429 || attempt >= maxRetries) return response;
    const wait = retryAfterSeconds(response.headers.get("retry-after"), options.now());
    if (wait === undefined || wait > options.maxRetryAfterSeconds) return response;
    await response.body?.cancel();
    await options.sleep(wait * 1000);
  }
}
