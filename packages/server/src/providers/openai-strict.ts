import type { JsonSchema } from "../openapi/types.js";

/**
 * Converts a listed input schema into OpenAI's strict mode (Structured Outputs,
 * `strict: true` on a function): every object lists all its properties in `required` and
 * sets `additionalProperties: false`; a property that was optional becomes nullable
 * instead, so the model sends `null` for "not given". The server drops such nulls for
 * fields that do not accept null, so an optional filter stays optional.
 *
 * @example
 * toOpenAiStrictSchema({ type: "object", properties: { email: { type: "string" } } });
 * // { type: "object", properties: { email: { type: ["string", "null"] } }, required: ["email"], additionalProperties: false }
 */
export function toOpenAiStrictSchema(schema: JsonSchema): JsonSchema {
  return strictNode(schema);
}

function strictNode(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  if (typeof node.description === "string") out.description = node.description;
  if (Array.isArray(node.anyOf)) {
    out.anyOf = (node.anyOf as JsonSchema[]).map(strictNode);
    return out;
  }
  out.type = node.type;
  if (Array.isArray(node.enum)) out.enum = [...(node.enum as unknown[])];
  if (node.type === "array" && isSchema(node.items)) out.items = strictNode(node.items);
  if (node.type === "object") {
    const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([key, child]) => {
        const converted = strictNode(child);
        return [key, required.has(key) ? converted : nullable(converted)];
      }),
    );
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }
  return out;
}

function nullable(node: JsonSchema): JsonSchema {
  if (Array.isArray(node.anyOf))
    return { ...node, anyOf: [...(node.anyOf as JsonSchema[]), { type: "null" }] };
  const out: JsonSchema = { ...node, type: [node.type as string, "null"] };
  if (Array.isArray(node.enum)) out.enum = [...(node.enum as unknown[]), null];
  return out;
}

function isSchema(value: unknown): value is JsonSchema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
