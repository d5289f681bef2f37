import { invalid } from "../../http/errors.js";

/** What a trigger may be told, from `--override path=value` (Polar CLI style). */
export interface TriggerInputs {
  customer: { email?: string; name?: string; external_id?: string };
  product_id?: string;
  /** Refund reason, for the refund chain. */
  reason?: string;
  metadata: Record<string, string>;
}

const PATHS = [
  "customer.email",
  "customer.name",
  "customer.external_id",
  "product_id",
  "reason",
  "metadata.<key>",
];

/**
 * Reads `{ "customer.email": "a@b.c", "metadata.plan": "pro" }` into trigger inputs; an
 * unknown path is a 422 that lists the ones that exist.
 */
export function readOverrides(overrides: Record<string, unknown>): TriggerInputs {
  const inputs: TriggerInputs = { customer: {}, metadata: {} };
  for (const [path, raw] of Object.entries(overrides)) {
    const value = String(raw);
    if (path === "customer.email") inputs.customer.email = value;
    else if (path === "customer.name") inputs.customer.name = value;
    else if (path === "customer.external_id") inputs.customer.external_id = value;
    else if (path === "product_id") inputs.product_id = value;
    else if (path === "reason") inputs.reason = value;
    else if (path.startsWith("metadata.") && path.length > 9)
      inputs.metadata[path.slice(9)] = value;
    else
      throw invalid(
        ["body", "overrides", path],
        `Unknown override path; use one of: ${PATHS.join(", ")}.`,
        raw,
      );
  }
  return inputs;
}
