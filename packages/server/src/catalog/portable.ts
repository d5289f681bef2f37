import type { JsonSchema } from "../openapi/types.js";

/**
 * Description of a field whose listed type is a string holding JSON: an object with no
 * properties of its own (a map such as `metadata`, or an object the budget collapsed) or a
 * value of any type. Gemini needs at least one property on every OBJECT and OpenAI's strict
 * mode forbids open objects, so a JSON string is the one form every provider takes. The
 * server decodes it before validation (`decodeListedArguments`); an object is accepted too.
 */
export const JSON_OBJECT_DESCRIPTION = "JSON object";
export const JSON_VALUE_DESCRIPTION = "JSON value";

const KEPT = new Set(["type", "description", "properties", "required", "items", "enum"]);

/**
 * Rewrites a compact input schema into the subset every provider accepts as sent (OpenAI
 * function calling, Anthropic tool use, Gemini function declarations): a single `type` on
 * every node, `enum` only on typed nodes, `const` as a one-value enum, no `$ref`/`$defs`,
 * `items` on every array, properties on every nested object (else a JSON string), unions of
 * objects merged into one object and other unions a JSON string, no recursion (a schema met
 * inside itself is a JSON string), and only the keywords above. The root stays an object, with no properties when the tool has no input.
 */
export function portableSchema(schema: JsonSchema): JsonSchema {
  const defs: Defs = {
    schemas: (schema.$defs ?? {}) as Record<string, JsonSchema>,
    expanding: new Set(),
  };
  const root = convert(schema, defs, true);
  return root.type === "object" ? root : { type: "object" };
}

/** The `$defs` a schema refers to, and the ones being expanded on the way here. */
interface Defs {
  schemas: Record<string, JsonSchema>;
  /** A `$ref` met again inside its own expansion (a recursive schema) becomes a JSON string. */
  expanding: Set<string>;
}

function convert(node: JsonSchema, defs: Defs, root = false): JsonSchema {
  if (typeof node.$ref === "string") {
    const name = node.$ref.replace(/^#\/\$defs\//, "");
    const target = defs.schemas[name] ?? {};
    const { $ref: _ref, ...rest } = node;
    if (defs.expanding.has(name))
      return jsonString(
        target.type === "object" ? JSON_OBJECT_DESCRIPTION : JSON_VALUE_DESCRIPTION,
      );
    defs.expanding.add(name);
    try {
      return convert({ ...target, ...rest }, defs);
    } finally {
      defs.expanding.delete(name);
    }
  }
  const description = typeof node.description === "string" ? node.description : undefined;
  const out = convertShape(node, defs, root);
  if (description && out.description === undefined) out.description = description;
  for (const key of Object.keys(out)) if (!KEPT.has(key)) delete out[key];
  return out;
}

function convertShape(node: JsonSchema, defs: Defs, root: boolean): JsonSchema {
  if ("const" in node) return enumNode([node.const]);
  if (Array.isArray(node.enum)) return enumNode(node.enum);
  if (Array.isArray(node.anyOf)) return unionNode(node.anyOf as JsonSchema[], defs);
  if (Array.isArray(node.type)) {
    const types = (node.type as string[]).filter((t) => t !== "null");
    if (types.length === 1) return convertShape({ ...node, type: types[0] }, defs, root);
    return unionNode(
      types.map((type) => ({ type })),
      defs,
    );
  }
  switch (node.type) {
    case "object":
      return objectNode(node, defs, root);
    case "array": {
      const items = isSchema(node.items)
        ? convert(node.items, defs)
        : jsonString(JSON_VALUE_DESCRIPTION);
      return { type: "array", items };
    }
    case "string":
    case "number":
    case "integer":
    case "boolean":
      return { type: node.type };
    default:
      return jsonString(JSON_VALUE_DESCRIPTION);
  }
}

function objectNode(node: JsonSchema, defs: Defs, root: boolean): JsonSchema {
  const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
  const keys = Object.keys(properties);
  if (keys.length === 0) return root ? { type: "object" } : jsonString(JSON_OBJECT_DESCRIPTION);
  const out: JsonSchema = {
    type: "object",
    properties: Object.fromEntries(
      keys.map((key) => [key, convert(properties[key] as JsonSchema, defs)]),
    ),
  };
  const required = Array.isArray(node.required)
    ? (node.required as string[]).filter((key) => keys.includes(key))
    : [];
  if (required.length > 0) out.required = required;
  return out;
}

function enumNode(values: readonly unknown[]): JsonSchema {
  const strings = values.filter((v): v is string => typeof v === "string");
  if (strings.length === values.length) return { type: "string", enum: strings };
  // Gemini takes enums of strings only: other constants become their type, listed in words.
  const types = [...new Set(values.map(jsonType))];
  const type = types.length === 1 && types[0] ? types[0] : "string";
  return { type, description: `One of ${values.map((v) => JSON.stringify(v)).join(", ")}.` };
}

function unionNode(variants: readonly JsonSchema[], defs: Defs): JsonSchema {
  const converted = variants.filter((v) => v.type !== "null").map((v) => convert(v, defs));
  const unique = [...new Map(converted.map((v) => [JSON.stringify(v), v])).values()];
  if (unique.length === 0) return jsonString(JSON_VALUE_DESCRIPTION);
  if (unique.length === 1) return unique[0] as JsonSchema;
  // A string and a string enum (`trial_end`: a date or "now"): one string says it.
  if (unique.every((v) => v.type === "string" && v.properties === undefined)) {
    const values = unique.flatMap((v) => (Array.isArray(v.enum) ? (v.enum as unknown[]) : []));
    const open = unique.some((v) => !Array.isArray(v.enum));
    if (!open) return { type: "string", enum: [...new Set(values)] };
    return values.length > 0
      ? { type: "string", description: `Or ${values.map((v) => JSON.stringify(v)).join(", ")}.` }
      : { type: "string" };
  }
  // Gemini wants one type on every node, so no bare anyOf: object shapes merge into one
  // object (each field from the first shape that has it; required = in every shape), any
  // other mix becomes a JSON string the server decodes.
  if (unique.every((v) => v.type === "object" && v.properties !== undefined)) {
    const properties: Record<string, JsonSchema> = {};
    for (const variant of unique)
      for (const [key, value] of Object.entries(variant.properties as Record<string, JsonSchema>))
        properties[key] ??= value;
    const required = Object.keys(properties).filter((key) =>
      unique.every((v) => Array.isArray(v.required) && (v.required as string[]).includes(key)),
    );
    return {
      type: "object",
      description: `One of ${unique.length} shapes; send the fields of one.`,
      properties,
      ...(required.length > 0 ? { required } : {}),
    };
  }
  return jsonString(JSON_VALUE_DESCRIPTION);
}

function jsonString(description: string): JsonSchema {
  return { type: "string", description };
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
