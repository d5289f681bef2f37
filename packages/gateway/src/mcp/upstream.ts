import type { UpstreamResponse } from "../rate-limit/upstream.js";

/**
 * Wraps the fetch handed to @polar-mcp/server for one request, bounding each call by a
 * timeout and noting each response's status and rate-limit headers. Nothing else (no bodies, no credentials) is kept.
 */
export function recordingFetch(
  fetch: typeof globalThis.fetch,
  timeoutMs: number,
  onResponse: (status: number, seconds: number) => void = () => undefined,
): {
  fetch: typeof globalThis.fetch;
  responses: UpstreamResponse[];
} {
  const responses: UpstreamResponse[] = [];
  return {
    responses,
    fetch: async (input, init) => {
      // A Polar that never answers must not hold the MCP request (and a connection) forever.
      const started = performance.now();
      const response = await fetch(input, {
        ...init,
        signal: init?.signal ?? AbortSignal.timeout(timeoutMs),
      });
      onResponse(response.status, (performance.now() - started) / 1000);
      responses.push({
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        limit: response.headers.get("ratelimit-limit") ?? response.headers.get("x-ratelimit-limit"),
      });
      return response;
    },
  };
}
