/**
 * Indexes of the events Polar rejected in a 422 of `POST /v1/events/ingest` (its errors
 * carry `loc: ["body", "events", i, …]`). Empty for any other failure.
 */
export function rejectedIndexes(error: unknown): Set<number> {
  const status = (error as { statusCode?: number }).statusCode;
  if (status !== 422) return new Set();
  const body =
    (error as { error?: unknown; body?: unknown }).error ?? (error as { body?: unknown }).body;
  let parsed: unknown = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return new Set();
    }
  }
  const detail = (parsed as { detail?: unknown } | undefined)?.detail;
  const found = new Set<number>();
  if (!Array.isArray(detail)) return found;
  for (const issue of detail) {
    const loc = (issue as { loc?: unknown[] }).loc;
    if (Array.isArray(loc) && loc[1] === "events" && typeof loc[2] === "number") found.add(loc[2]);
  }
  return found;
}
