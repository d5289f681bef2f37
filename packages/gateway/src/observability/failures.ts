/**
 * The error behind a 5xx, noted by whoever turned it into a response, so the request's one
 * log line can say what failed (the response itself says nothing internal).
 */
const failures = new WeakMap<Request, unknown>();

export function noteFailure(request: Request, error: unknown): void {
  failures.set(request, error);
}

export function failureOf(request: Request): unknown {
  return failures.get(request);
}
