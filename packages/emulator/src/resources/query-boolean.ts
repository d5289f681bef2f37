import type { OperationRequest } from "../http/operation.js";

/**
 * A boolean query filter (`?is_archived=false`) read from the URL: the validator's
 * coercion of `anyOf: [boolean, null]` turns "false" into null, which would read as
 * "no filter". Undefined when absent or not a boolean.
 */
export function queryBoolean(req: OperationRequest, name: string): boolean | undefined {
  const raw = req.url.searchParams.get(name);
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  return undefined;
}
