import { deref, schemaRefName } from "../openapi/refs.js";
import type { JsonSchema, OpenApiDocument } from "../openapi/types.js";
import type { InputField } from "./fields.js";
import { portableSchema } from "./portable.js";
import { firstSentence, restatesName } from "./text.js";

/** How much detail a compact schema keeps; the budget walks these from rich to bare. */
export interface CompactLevel {
  /** Levels of nested object properties shown below the top-level fields. */
  depth: number;
  /** Characters of a field's description kept (first sentence); 0 drops them. */
  descriptionChars: number;
  /** Whether nested properties keep descriptions too. */
  nestedDescriptions: boolean;
  /** Longest enum kept; longer enums become their base type. */
  maxEnum: number;
}

/** From rich (used by `describe_operation`) to bare (names and types only). */
export const COMPACT_LEVELS: readonly CompactLevel[] = [
  { depth: 3, descriptionChars: 120, nestedDescriptions: true, maxEnum: 40 },
  { depth: 2, descriptionChars: 80, nestedDescriptions: false, maxEnum: 20 },
  { depth: 1, descriptionChars: 60, nestedDescriptions: false, maxEnum: 12 },
  { depth: 1, descriptionChars: 0, nestedDescriptions: false, maxEnum: 10 },
  { depth: 0, descriptionChars: 0, nestedDescriptions: false, maxEnum: 8 },
  { depth: 0, descriptionChars: 0, nestedDescriptions: false, maxEnum: 4 },
];

/** Discriminator enums (unions of constants) are kept up to this size at every level. */
const DISCRIMINATOR_MAX_ENUM = 12;

interface Context {
  doc: OpenApiDocument;
  level: CompactLevel;
  stack: string[];
  shared: Map<string, { name: string; node: JsonSchema; uses: number }>;
}

/**
 * Renders the flat input schema of a tool at the richest level that fits `budgetBytes`
 * (JSON length), else at the barest level. $refs are resolved; a component rendered twice
 * or more in one schema goes once into `$defs`. `portable` rewrites each level into the
 * subset every model provider accepts (see `portableSchema`) before measuring it.
 */
export function compactInputSchema(
  doc: OpenApiDocument,
  fields: readonly InputField[],
  budgetBytes: number,
  toolName = "",
  options: { portable?: boolean } = {},
): { schema: JsonSchema; level: number } {
  let last: JsonSchema = { type: "object" };
  for (let index = 0; index < COMPACT_LEVELS.length; index += 1) {
    last = renderFields(doc, fields, COMPACT_LEVELS[index] as CompactLevel, toolName);
    if (options.portable) last = portableSchema(last);
    if (JSON.stringify(last).length <= budgetBytes) return { schema: last, level: index };
  }
  return { schema: last, level: COMPACT_LEVELS.length - 1 };
}

/**
 * The input schema of a tool at one level of detail. `toolName` helps drop descriptions
 * that restate it ("The discount ID." on `discounts_get`'s `id`).
 */
export function renderFields(
  doc: OpenApiDocument,
  fields: readonly InputField[],
  level: CompactLevel,
  toolName = "",
): JsonSchema {
  const ctx: Context = { doc, level, stack: [], shared: new Map() };
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of fields) {
    if (field.deprecated || isDeprecated(field.schema)) continue;
    const node = { ...render(field.schema, level.depth, ctx) };
    const description = describe(
      field.description ?? field.schema.description,
      field.name,
      level,
      toolName,
    );
    properties[field.name] = description ? { ...node, description } : node;
    if (field.required) required.push(field.name);
  }
  const schema: JsonSchema = { type: "object" };
  if (fields.length > 0) schema.properties = properties;
  if (required.length > 0) schema.required = required;
  hoistShared(schema, ctx);
  return schema;
}

// Fields every model already understands; their descriptions only restate the convention.
const SELF_EXPLAINING = new Set(["page", "limit"]);

function describe(text: unknown, name: string, level: CompactLevel, context = ""): string {
  if (typeof text !== "string" || SELF_EXPLAINING.has(name)) return "";
  const sentence = firstSentence(text, level.descriptionChars);
  return sentence && !restatesName(sentence, `${context}_${name}`) ? sentence : "";
}

function render(schema: JsonSchema, depth: number, ctx: Context): JsonSchema {
  if (typeof schema.$ref === "string") {
    const name = schemaRefName(schema);
    if (name && ctx.stack.includes(name)) return { type: "object" };
    if (name) ctx.stack.push(name);
    const node = render(deref<JsonSchema>(ctx.doc, schema), depth, ctx);
    if (name) ctx.stack.pop();
    return name ? share(name, depth, node, ctx) : node;
  }
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(variants)) return renderUnion(variants, depth, ctx);
  if (Array.isArray(schema.allOf)) return renderUnion(schema.allOf as JsonSchema[], depth, ctx);
  if ("const" in schema) return { const: schema.const };
  if (Array.isArray(schema.enum)) return renderEnum(schema.enum, ctx);
  const type = baseType(schema.type);
  if (type === "object") return renderObject(schema, depth, ctx);
  if (type === "array") {
    const items = isSchema(schema.items) ? render(schema.items, depth, ctx) : {};
    return Object.keys(items).length > 0 ? { type: "array", items } : { type: "array" };
  }
  return type ? { type } : {};
}

function renderObject(schema: JsonSchema, depth: number, ctx: Context): JsonSchema {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (!props || depth <= 0 || Object.keys(props).length === 0) return { type: "object" };
  const properties: Record<string, JsonSchema> = {};
  for (const [key, value] of Object.entries(props)) {
    if (isDeprecated(value)) continue;
    const node = render(value, depth - 1, ctx);
    const text = ctx.level.nestedDescriptions ? describe(value.description, key, ctx.level) : "";
    properties[key] = text ? { ...node, description: text } : node;
  }
  const node: JsonSchema = { type: "object", properties };
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  if (required.length > 0) node.required = required.filter((key) => key in properties);
  return node;
}

function renderEnum(values: unknown[], ctx: Context): JsonSchema {
  if (values.length <= ctx.level.maxEnum) return { enum: values };
  const type = jsonType(values[0]);
  return type ? { type } : {};
}

function renderUnion(variants: JsonSchema[], depth: number, ctx: Context): JsonSchema {
  const nonNull = variants.filter((v) => v.type !== "null");
  if (nonNull.length === 0) return { type: "null" };
  if (nonNull.length === 1) return render(nonNull[0] as JsonSchema, depth, ctx);
  const rendered = dedupe(nonNull.map((v) => render(v, depth, ctx)));
  // "one or many" filters (T | T[]) collapse to T; the validator still accepts arrays.
  const keys = new Set(rendered.map((r) => JSON.stringify(r)));
  const kept = rendered.filter(
    (r) => !(r.type === "array" && r.items !== undefined && keys.has(JSON.stringify(r.items))),
  );
  if (kept.length === 1) return kept[0] as JsonSchema;
  if (kept.every((r) => "const" in r || Array.isArray(r.enum))) {
    const values = [
      ...new Set(kept.flatMap((r) => ("const" in r ? [r.const] : (r.enum as unknown[])))),
    ];
    // A union of constants is a discriminator (benefit `type` …): the model cannot guess it.
    if (kept.every((r) => "const" in r) && values.length <= DISCRIMINATOR_MAX_ENUM)
      return { enum: values };
    return renderEnum(values, ctx);
  }
  if (kept.every((r) => r.type === "object")) return mergeObjects(kept);
  if (kept.every((r) => typeof r.type === "string" && Object.keys(r).length === 1)) {
    return { type: [...new Set(kept.map((r) => r.type as string))] };
  }
  return { anyOf: kept };
}

function mergeObjects(objects: JsonSchema[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const object of objects) {
    for (const [key, value] of Object.entries(
      (object.properties ?? {}) as Record<string, JsonSchema>,
    )) {
      const existing = properties[key];
      if (!existing) properties[key] = value;
      else if ("const" in existing && "const" in value && existing.const !== value.const) {
        properties[key] = { enum: [existing.const, value.const] };
      } else if (
        Array.isArray(existing.enum) &&
        "const" in value &&
        !existing.enum.includes(value.const)
      ) {
        properties[key] = { enum: [...existing.enum, value.const] };
      }
    }
  }
  return Object.keys(properties).length > 0 ? { type: "object", properties } : { type: "object" };
}

function share(name: string, depth: number, node: JsonSchema, ctx: Context): JsonSchema {
  if (node.type !== "object" || node.properties === undefined) return node;
  const key = `${name}@${depth}`;
  const entry = ctx.shared.get(key);
  if (entry) {
    entry.uses += 1;
    return entry.node;
  }
  ctx.shared.set(key, { name, node, uses: 1 });
  return node;
}

// Replaces every repeated component by a $ref into $defs when that makes the schema smaller.
function hoistShared(schema: JsonSchema, ctx: Context): void {
  const defs: Record<string, JsonSchema> = {};
  const refs = new Map<JsonSchema, JsonSchema>();
  for (const { name, node, uses } of ctx.shared.values()) {
    if (uses < 2) continue;
    const defName = name in defs ? `${name}_${Object.keys(defs).length}` : name;
    const ref = { $ref: `#/$defs/${defName}` };
    if (
      JSON.stringify(node).length * (uses - 1) <=
      JSON.stringify(ref).length * uses + defName.length
    )
      continue;
    defs[defName] = node;
    refs.set(node, ref);
  }
  if (refs.size === 0) return;
  const replace = (value: unknown, isDefRoot: boolean): unknown => {
    if (Array.isArray(value)) return value.map((v) => replace(v, false));
    if (value === null || typeof value !== "object") return value;
    if (!isDefRoot && refs.has(value as JsonSchema)) return refs.get(value as JsonSchema);
    const out: JsonSchema = {};
    for (const [k, v] of Object.entries(value)) out[k] = replace(v, false);
    return out;
  };
  const replaced = replace(schema, true) as JsonSchema;
  Object.assign(schema, replaced);
  const hoisted: Record<string, JsonSchema> = {};
  for (const [name, node] of Object.entries(defs))
    hoisted[name] = replace(node, true) as JsonSchema;
  schema.$defs = hoisted;
}

// Deprecated fields stay accepted by the validator but are not advertised.
function isDeprecated(schema: JsonSchema): boolean {
  return schema.deprecated === true;
}

function dedupe(nodes: JsonSchema[]): JsonSchema[] {
  const seen = new Set<string>();
  return nodes.filter((node) => {
    const key = JSON.stringify(node);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function baseType(type: unknown): string | undefined {
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return type.find((t) => t !== "null") as string | undefined;
  return undefined;
}

function jsonType(value: unknown): string | undefined {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return undefined;
}

function isSchema(value: unknown): value is JsonSchema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
