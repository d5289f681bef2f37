import type { JsonSchema } from "../openapi/types.js";

/** $id under which the document's component schemas are registered with Ajv. */
export const COMPONENTS_ID = "polar-openapi-components";

const LOCAL = "#/components/schemas/";

/** Deep copy with `#/components/schemas/X` refs pointing at `COMPONENTS_ID#/$defs/X`. */
export function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: JsonSchema = {};
  for (const [key, child] of Object.entries(value as JsonSchema)) {
    out[key] =
      key === "$ref" && typeof child === "string" && child.startsWith(LOCAL)
        ? `${COMPONENTS_ID}#/$defs/${child.slice(LOCAL.length)}`
        : rewriteRefs(child);
  }
  return out as T;
}
