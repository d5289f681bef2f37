import type { UpstreamResponse } from "../rate-limit/upstream.js";

/**
 * Wraps the fetch handed to @polar-mcp/server for one request, bounding each call by a
 * timeout and noting each response's status and rate-limit headers. Nothing else (no bodies, no credentials) is kept.
 * A call that gets no response fails with a message naming why (no answer within the
 * timeout, or the network error's code, e.g. `ECONNREFUSED`), which the tool's error
 * carries, and is reported to `onFailure` (the gateway logs one line).
 */
export function recordingFetch(
  fetch: typeof globalThis.fetch,
  timeoutMs: number,
  onResponse: (status: number, seconds: number) => void = () => undefined,
  onFailure: (error: unknown) => void = () => undefined,
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
      const signal = init?.signal ?? AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetch(input, { ...init, signal });
      } catch (error) {
        onFailure(error);
        throw new Error(describeFailure(error, signal, timeoutMs), { cause: error });
      }
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

// "no answer within 30000 ms", or the error and its cause's code and message
// ("fetch failed: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9"), at most 200 characters.
function describeFailure(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  const reason: unknown = signal.reason;
  if (signal.aborted && reason instanceof Error && reason.name === "TimeoutError")
    return `no answer within ${timeoutMs} ms`;
  if (!(error instanceof Error)) return "request failed";
  const cause = error.cause;
  if (!(cause instanceof Error)) return error.message.slice(0, 200);
  const code = (cause as { code?: unknown }).code;
  return `${error.message}: ${typeof code === "string" ? `${code} ` : ""}${cause.message}`.slice(
    0,
    200,
  );
}
