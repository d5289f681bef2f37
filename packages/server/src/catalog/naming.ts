import { createHash } from "node:crypto";

/**
 * Longest tool name the server emits. Clients count the server's name too: Claude Code
 * calls a tool `mcp__<server>__<tool>` and caps that at 64 characters, Cursor drops tools
 * whose server and tool names together exceed 60. At 48, a server named up to 9
 * characters (`polar`, `polar-dev`) keeps every tool in both.
 */
export const MAX_TOOL_NAME_LENGTH = 48;

/**
 * The one naming scheme for tools: split the operation id on `:`, lowercase each segment,
 * turn every run of characters outside `[a-z0-9]` into `_`, drop a segment that repeats an
 * earlier one, and join with `_`.
 *
 * @example
 * toolNameFromOperationId("customer_portal:license_keys:validate"); // "customer_portal_license_keys_validate"
 * toolNameFromOperationId("checkout-links:list"); // "checkout_links_list"
 * toolNameFromOperationId("oauth2:clients:oauth2:create_client"); // "oauth2_clients_create_client"
 */
export function toolNameFromOperationId(operationId: string): string {
  const segments: string[] = [];
  for (const raw of operationId.split(":")) {
    const segment = raw
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "");
    if (segment && !segments.includes(segment)) segments.push(segment);
  }
  const name = segments.join("_") || "operation";
  if (name.length <= MAX_TOOL_NAME_LENGTH) return name;
  const shorter = withoutRepeatedWords(segments);
  if (shorter.length <= MAX_TOOL_NAME_LENGTH) return shorter;
  const hash = createHash("sha256").update(operationId).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_TOOL_NAME_LENGTH - 9).replace(/_+$/, "")}_${hash}`;
}

function withoutRepeatedWords(segments: readonly string[]): string {
  const said = new Set<string>();
  const kept: string[] = [];
  for (const segment of segments) {
    const words = segment.split("_");
    const fresh = words.filter((word) => !said.has(word));
    for (const word of words) said.add(word);
    if (fresh.length > 0) kept.push(fresh.join("_"));
  }
  return kept.join("_");
}

/** Appends `_2`, `_3` … to names already taken, in the order given, so names stay unique. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}_${count}`;
  });
}
