import type { ParsedOperation } from "../openapi/operations.js";
import { deref } from "../openapi/refs.js";
import type { JsonSchema, OpenApiDocument } from "../openapi/types.js";

/** One field of a tool's flat input object and where it goes in the HTTP request. */
export interface InputField {
  /** Name in the tool's input object. */
  name: string;
  /** Where the value goes. */
  in: "path" | "query" | "body";
  /** Name on the wire (differs from `name` only for body fields renamed `body_<name>`). */
  key: string;
  required: boolean;
  /** The field's schema as the document writes it (refs unresolved). */
  schema: JsonSchema;
  description?: string;
  /** Query serialisation style (`deepObject` for metadata filters). */
  style?: string;
  /** Deprecated fields are accepted but not advertised. */
  deprecated?: boolean;
}

/**
 * Flattens an operation's path, query and body parameters into one list of fields. Body
 * properties of every union variant are merged; a body property whose name is already a
 * path or query parameter is exposed as `body_<name>`.
 */
export function inputFields(doc: OpenApiDocument, op: ParsedOperation): InputField[] {
  const fields: InputField[] = [];
  for (const parameter of op.parameters) {
    const field: InputField = {
      name: parameter.name,
      in: parameter.in === "path" ? "path" : "query",
      key: parameter.name,
      required: parameter.in === "path" || parameter.required === true,
      schema: parameter.schema ?? {},
    };
    if (parameter.description) field.description = parameter.description;
    if (parameter.style) field.style = parameter.style;
    if ((parameter as { deprecated?: boolean }).deprecated) field.deprecated = true;
    fields.push(field);
  }
  if (!op.body) return fields;
  const taken = new Set(fields.map((f) => f.name));
  const { properties, required } = bodyProperties(doc, op.body.schema);
  for (const [key, schema] of Object.entries(properties)) {
    const name = taken.has(key) ? `body_${key}` : key;
    const field: InputField = {
      name,
      in: "body",
      key,
      required: op.body.required && required.has(key),
      schema,
    };
    const description = typeof schema.description === "string" ? schema.description : undefined;
    if (description) field.description = description;
    fields.push(field);
  }
  return fields;
}

/**
 * Properties of an object schema, or of every variant of a union: a property that differs
 * between variants becomes an `anyOf` of its versions; required = required in all variants.
 */
export function bodyProperties(
  doc: OpenApiDocument,
  schema: JsonSchema,
): { properties: Record<string, JsonSchema>; required: Set<string> } {
  const resolved = deref<JsonSchema>(doc, schema);
  const variants = (resolved.anyOf ?? resolved.oneOf) as JsonSchema[] | undefined;
  if (!Array.isArray(variants)) {
    const properties = (resolved.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set(
      Array.isArray(resolved.required) ? (resolved.required as string[]) : [],
    );
    return { properties, required };
  }
  const versions = new Map<string, Map<string, JsonSchema>>();
  let required: Set<string> | undefined;
  for (const variant of variants) {
    const part = bodyProperties(doc, variant);
    for (const [key, value] of Object.entries(part.properties)) {
      const seen = versions.get(key) ?? new Map<string, JsonSchema>();
      seen.set(JSON.stringify(value), value);
      versions.set(key, seen);
    }
    required = required
      ? new Set([...required].filter((k) => part.required.has(k)))
      : part.required;
  }
  const properties: Record<string, JsonSchema> = {};
  for (const [key, seen] of versions) {
    const list = [...seen.values()];
    properties[key] = list.length === 1 ? (list[0] as JsonSchema) : { anyOf: list };
  }
  return { properties, required: required ?? new Set() };
}
