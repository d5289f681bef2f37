import type { CatalogTool } from "../catalog/catalog.js";
import { JSON_OBJECT_DESCRIPTION, JSON_VALUE_DESCRIPTION } from "../catalog/portable.js";
import { deref } from "../openapi/refs.js";
import type { JsonSchema, OpenApiDocument } from "../openapi/types.js";

/**
 * Undoes what portable listings ask of a model, before validation against the document:
 * a field listed as a JSON string (`metadata`, a collapsed object) is parsed when it holds
 * JSON, and an optional top-level field set to `null` (what OpenAI's strict mode sends for
 * "not given") is dropped unless the document accepts null there (Polar's "clear this
 * field"). Objects are passed through as they are, so clients that send them still work.
 */
export function decodeListedArguments(
  doc: OpenApiDocument,
  tool: CatalogTool,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const listed = (tool.inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    const field = tool.fields.find((f) => f.name === name);
    if (value === null && field && !field.required && !acceptsNull(doc, field.schema)) continue;
    const node = listed[name];
    out[name] = node ? decode(value, node) : value;
  }
  return out;
}

function decode(value: unknown, node: JsonSchema): unknown {
  if (typeof value === "string" && isJsonString(node)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // validation then says what the field expects
    }
  }
  if (Array.isArray(value) && isSchema(node.items)) {
    const items = node.items;
    return value.map((item) => decode(item, items));
  }
  if (isRecord(value) && isRecord(node.properties)) {
    const properties = node.properties as Record<string, JsonSchema>;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => {
        const childNode = properties[key];
        return [key, childNode ? decode(child, childNode) : child];
      }),
    );
  }
  return value;
}

function isJsonString(node: JsonSchema): boolean {
  return (
    node.type === "string" &&
    typeof node.description === "string" &&
    (node.description.startsWith(JSON_OBJECT_DESCRIPTION) ||
      node.description.startsWith(JSON_VALUE_DESCRIPTION))
  );
}

/** Whether the document's schema accepts `null` (a nullable union, `type: [.., "null"]`). */
export function acceptsNull(doc: OpenApiDocument, schema: JsonSchema, depth = 0): boolean {
  if (depth > 8) return false;
  const resolved = deref<JsonSchema>(doc, schema);
  if (resolved.type === "null" || resolved.nullable === true) return true;
  if (Array.isArray(resolved.type) && resolved.type.includes("null")) return true;
  const variants = (resolved.anyOf ?? resolved.oneOf) as JsonSchema[] | undefined;
  return Array.isArray(variants) && variants.some((v) => acceptsNull(doc, v, depth + 1));
}

function isSchema(value: unknown): value is JsonSchema {
  return isRecord(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
