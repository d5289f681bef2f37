import type { SchemaBundler } from "./bundle.js";

/** The JSON types a schema admits, through refs and unions; empty when it says nothing. */
function typesOf(bundler: SchemaBundler, raw: unknown, depth = 0): Set<string> {
  const types = new Set<string>();
  if (depth > 10) return types;
  const schema = bundler.resolve(raw);
  const declared = schema.type;
  for (const type of Array.isArray(declared) ? declared : declared ? [declared] : [])
    types.add(String(type));
  for (const value of [...((schema.enum as unknown[]) ?? []), schema.const]) {
    if (value === undefined) continue;
    types.add(value === null ? "null" : typeof value === "number" ? "number" : typeof value);
  }
  for (const option of [
    ...((schema.anyOf as unknown[]) ?? []),
    ...((schema.oneOf as unknown[]) ?? []),
    ...((schema.allOf as unknown[]) ?? []),
  ]) {
    for (const type of typesOf(bundler, option, depth + 1)) types.add(type);
  }
  return types;
}

/** The item types of the array branches of a schema. */
function itemTypesOf(bundler: SchemaBundler, raw: unknown, depth = 0): Set<string> {
  const types = new Set<string>();
  if (depth > 10) return types;
  const schema = bundler.resolve(raw);
  if (schema.type === "array") for (const t of typesOf(bundler, schema.items)) types.add(t);
  for (const option of [
    ...((schema.anyOf as unknown[]) ?? []),
    ...((schema.oneOf as unknown[]) ?? []),
  ]) {
    for (const type of itemTypesOf(bundler, option, depth + 1)) types.add(type);
  }
  return types;
}

// Pydantic's lax booleans (what FastAPI accepts in a query string).
const TRUE = new Set(["true", "1", "yes", "on", "t", "y"]);
const FALSE = new Set(["false", "0", "no", "off", "f", "n"]);

/**
 * Turns one query-string value into the type its schema declares, as FastAPI does before
 * validating: a string stays a string when the schema admits strings; else a boolean word
 * becomes a boolean, digits a number. Anything else stays a string, and validation reports
 * it. (ajv's own coercion cannot be used: inside `anyOf: [boolean, null]` it tries every
 * branch and turns `false` into `null`.)
 */
function coerceScalar(value: string, types: ReadonlySet<string>): unknown {
  if (types.size === 0 || types.has("string")) return value;
  const word = value.trim().toLowerCase();
  if (types.has("boolean")) {
    if (TRUE.has(word)) return true;
    if (FALSE.has(word)) return false;
  }
  if (types.has("integer") && /^[+-]?\d+$/.test(value.trim())) return Number(value);
  if (types.has("number") && word !== "" && Number.isFinite(Number(word))) return Number(word);
  return value;
}

export type QueryReader = (values: string[]) => unknown;

/**
 * How to read one declared query parameter from its raw values: a list when the schema
 * admits a list (`?id=a&id=b`), else the last value; each coerced to the declared type.
 */
export function queryReader(bundler: SchemaBundler, schema: unknown): QueryReader {
  const items = itemTypesOf(bundler, schema);
  const types = typesOf(bundler, schema);
  if (types.has("array")) return (values) => values.map((v) => coerceScalar(v, items));
  return (values) => coerceScalar(values[values.length - 1] ?? "", types);
}
