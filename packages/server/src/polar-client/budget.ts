/**
 * Default budget of a tool result's text, in characters. Claude Code warns above 10,000
 * tokens of MCP output and refuses above 25,000 (`MAX_MCP_OUTPUT_TOKENS`); Polar's JSON runs
 * at about 3 characters per token (UUIDs and timestamps), so 20,000 characters stay below
 * the warning, and below the limit even for a client that also passes the structured copy.
 */
export const DEFAULT_RESULT_BUDGET_CHARS = 20_000;

/** Room kept for the summary line in front of the JSON. */
const SUMMARY_RESERVE = 600;

/** What was cut from a result, so the summary can say it and how to get the rest. */
export type Cut =
  | { kind: "none" }
  | { kind: "items"; kept: number; of: number }
  | { kind: "field"; field: string; kept: number; of: number }
  | { kind: "text"; kept: number; of: number };

/**
 * Keeps the first items of a list page that fit `budget` characters of JSON (whole items
 * only). At least one item is kept when one exists; if even that one is over the budget,
 * its largest array field is cut instead (`fitObject`).
 */
export function fitItems(
  body: Record<string, unknown> & { items: unknown[] },
  budget: number,
): { body: Record<string, unknown> & { items: unknown[] }; cut: Cut; inner: Cut } {
  const limit = budget - SUMMARY_RESERVE;
  if (JSON.stringify(body).length <= limit)
    return { body, cut: { kind: "none" }, inner: { kind: "none" } };
  let used = JSON.stringify({ ...body, items: [] }).length;
  let kept = 0;
  for (const item of body.items) {
    const size = JSON.stringify(item).length + (kept > 0 ? 1 : 0);
    if (used + size > limit) break;
    used += size;
    kept += 1;
  }
  if (kept > 0) {
    return {
      body: { ...body, items: body.items.slice(0, kept) },
      cut: { kind: "items", kept, of: body.items.length },
      inner: { kind: "none" },
    };
  }
  const first = body.items[0];
  const room = limit - JSON.stringify({ ...body, items: [] }).length;
  const fitted = isRecord(first)
    ? fitObject(first, room + SUMMARY_RESERVE)
    : { body: first, cut: { kind: "none" } as Cut };
  return {
    body: { ...body, items: [fitted.body] },
    cut: { kind: "items", kept: 1, of: body.items.length },
    inner: fitted.cut,
  };
}

/**
 * Fits one object within `budget` characters of JSON by cutting its largest array field
 * at an item boundary, else its longest string, and says what was cut.
 */
export function fitObject(
  body: Record<string, unknown>,
  budget: number,
): { body: Record<string, unknown>; cut: Cut } {
  const limit = budget - SUMMARY_RESERVE;
  const size = JSON.stringify(body).length;
  if (size <= limit) return { body, cut: { kind: "none" } };
  const arrays = Object.entries(body).filter((entry): entry is [string, unknown[]] =>
    Array.isArray(entry[1]),
  );
  arrays.sort((a, b) => JSON.stringify(b[1]).length - JSON.stringify(a[1]).length);
  const largest = arrays[0];
  if (largest) {
    const [field, items] = largest;
    let used = JSON.stringify({ ...body, [field]: [] }).length;
    let kept = 0;
    for (const item of items) {
      const itemSize = JSON.stringify(item).length + (kept > 0 ? 1 : 0);
      if (used + itemSize > limit) break;
      used += itemSize;
      kept += 1;
    }
    if (used <= limit) {
      return {
        body: { ...body, [field]: items.slice(0, kept) },
        cut: { kind: "field", field, kept, of: items.length },
      };
    }
  }
  const text = JSON.stringify(body);
  return {
    body: { truncated_json: text.slice(0, Math.max(0, limit - 40)) },
    cut: { kind: "text", kept: Math.max(0, limit - 40), of: text.length },
  };
}

/**
 * Where to resume a page-numbered list after its first `kept` items of page `page` (size
 * `limit`): the offset `o` of the first item not returned, and a page size that divides it,
 * as large as possible but at most `kept` (so each call fits as this one did). Calling with
 * that `limit` and `page = o / limit + 1`, then the pages after it, returns exactly the
 * items not returned, in order.
 */
export function resumeAt(
  page: number,
  limit: number,
  kept: number,
): { page: number; limit: number } {
  const offset = (page - 1) * limit + kept;
  let size = Math.max(1, kept);
  while (offset % size !== 0) size -= 1;
  return { page: offset / size + 1, limit: size };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
