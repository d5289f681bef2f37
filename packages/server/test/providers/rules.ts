// Each provider's documented rules for a tool (function) declaration, as checks that return
// what is wrong (empty = accepted). The sources are cited at each rule.
import type { JsonSchema } from "../../src/index.js";

export interface ToolDeclaration {
  name: string;
  description?: string | undefined;
  inputSchema: JsonSchema;
}

type Node = Record<string, unknown>;

function walk(node: unknown, path: string, visit: (node: Node, path: string) => void): void {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return;
  const schema = node as Node;
  visit(schema, path);
  for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, unknown>))
    walk(child, `${path}.properties.${key}`, visit);
  if (schema.items !== undefined) walk(schema.items, `${path}.items`, visit);
  for (const [index, child] of ((schema.anyOf ?? []) as unknown[]).entries())
    walk(child, `${path}.anyOf[${index}]`, visit);
  for (const [key, child] of Object.entries((schema.$defs ?? {}) as Record<string, unknown>))
    walk(child, `${path}.$defs.${key}`, visit);
}

/**
 * OpenAI function calling (non-strict).
 * - https://platform.openai.com/docs/api-reference/chat/create#chat-create-tools — `name`:
 *   "Must be a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length of 64";
 *   `parameters`: "described as a JSON Schema object".
 * - The API answers 400 for a root that is not `type: "object"` ("schema must be a JSON
 *   Schema of 'type: \"object\"'") and for an array without `items` ("array schema missing
 *   items"); https://platform.openai.com/docs/guides/function-calling lists at most 128
 *   functions per request (checked on the listing, not per tool).
 */
export function openAiIssues(tool: ToolDeclaration): string[] {
  const issues: string[] = [];
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) issues.push(`name ${tool.name}`);
  if (tool.inputSchema.type !== "object") issues.push("root is not type object");
  for (const key of ["anyOf", "oneOf", "allOf", "enum", "not"])
    if (key in tool.inputSchema) issues.push(`root has ${key}`);
  walk(tool.inputSchema, "$", (node, path) => {
    if (node.type === "array" && node.items === undefined)
      issues.push(`${path}: array schema missing items`);
  });
  return issues;
}

// https://platform.openai.com/docs/guides/structured-outputs#supported-schemas
const STRICT_KEYWORDS = new Set([
  "type",
  "description",
  "title",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "anyOf",
  "$defs",
  "$ref",
  "pattern",
  "format", // strings
  "multipleOf",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum", // numbers
  "minItems",
  "maxItems", // arrays
]);
const STRICT_TYPES = new Set(["string", "number", "boolean", "integer", "object", "array", "null"]);

/**
 * OpenAI strict mode (Structured Outputs, `strict: true`),
 * https://platform.openai.com/docs/guides/structured-outputs#supported-schemas:
 * "the root level object must be an object, and not use anyOf"; "all fields or function
 * parameters must be specified as required"; "additionalProperties: false must always be
 * set in objects"; supported types string, number, boolean, integer, object, array, enum,
 * anyOf (null in unions); only the keywords listed above; "up to 5000 object properties
 * total, with up to 10 levels of nesting"; "up to 1000 enum values across all enum properties".
 */
export function openAiStrictIssues(schema: JsonSchema): string[] {
  const issues: string[] = [];
  if (schema.type !== "object" || "anyOf" in schema)
    issues.push("root must be an object without anyOf");
  let properties = 0;
  let enumValues = 0;
  let deepest = 0;
  walk(schema, "$", (node, path) => {
    deepest = Math.max(deepest, path.split(".properties.").length - 1);
    for (const key of Object.keys(node))
      if (!STRICT_KEYWORDS.has(key)) issues.push(`${path}: keyword ${key} not supported`);
    const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
    for (const type of types)
      if (!STRICT_TYPES.has(String(type))) issues.push(`${path}: type ${String(type)}`);
    if (types.length === 0 && !Array.isArray(node.anyOf) && node.$ref === undefined)
      issues.push(`${path}: no type`);
    if (Array.isArray(node.enum)) enumValues += node.enum.length;
    if (types.includes("object")) {
      const keys = Object.keys((node.properties ?? {}) as object);
      properties += keys.length;
      if (node.additionalProperties !== false)
        issues.push(`${path}: additionalProperties must be false`);
      const required = new Set((node.required ?? []) as string[]);
      for (const key of keys)
        if (!required.has(key)) issues.push(`${path}: ${key} not in required`);
    }
  });
  if (properties > 5000) issues.push(`${properties} object properties (max 5000)`);
  if (deepest > 10) issues.push(`${deepest} levels of nesting (max 10)`);
  if (enumValues > 1000) issues.push(`${enumValues} enum values (max 1000)`);
  return issues;
}

/**
 * Anthropic tool use,
 * https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#specifying-client-tools:
 * `name` "must match the regex ^[a-zA-Z0-9_-]{1,64}$"; `input_schema` is "a JSON Schema
 * object" for the tool's parameters (root `type: "object"`); the API answers 400
 * "input_schema does not support oneOf, allOf, or anyOf at the top level". The schema must be
 * valid JSON Schema (checked with Ajv's 2020-12 meta-schema by the caller).
 */
export function anthropicIssues(tool: ToolDeclaration): string[] {
  const issues: string[] = [];
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) issues.push(`name ${tool.name}`);
  if (tool.inputSchema.type !== "object") issues.push("input_schema root is not type object");
  for (const key of ["oneOf", "allOf", "anyOf"])
    if (key in tool.inputSchema) issues.push(`input_schema has ${key} at the top level`);
  return issues;
}

// https://ai.google.dev/api/caching#Schema: the fields of Gemini's Schema object.
const GEMINI_KEYWORDS = new Set([
  "type",
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "maxItems",
  "minItems",
  "properties",
  "required",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "example",
  "anyOf",
  "propertyOrdering",
  "default",
  "items",
  "minimum",
  "maximum",
]);
// https://ai.google.dev/api/caching#Type
const GEMINI_TYPES = new Set(["string", "number", "integer", "boolean", "array", "object", "null"]);

/**
 * Gemini function declarations (`parameters`, a subset of OpenAPI 3.0's Schema),
 * https://ai.google.dev/api/caching#FunctionDeclaration and #Schema:
 * - `name`: "a-z, A-Z, 0-9, or contain underscores, colons, dots, and dashes, with a maximum
 *   length of 64"; `parameters` "for function with no parameters, this can be left unset"
 *   (so an object root with no properties is sent without `parameters`).
 * - Schema: `type` "Required" on every node, one value of `Type`; only the fields above (no
 *   `$ref`, `$defs`, `const`, `additionalProperties`); `enum` for "Type.STRING with enum
 *   format"; `properties` "of Type.OBJECT", which the API refuses empty ("should be
 *   non-empty for OBJECT type"); `items` "of Type.ARRAY".
 */
export function geminiIssues(tool: ToolDeclaration): string[] {
  const issues: string[] = [];
  if (!/^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/.test(tool.name)) issues.push(`name ${tool.name}`);
  const root = tool.inputSchema;
  const noParameters =
    root.type === "object" && Object.keys((root.properties ?? {}) as object).length === 0;
  if (noParameters) {
    const extra = Object.keys(root).filter(
      (k) => k !== "type" && k !== "properties" && k !== "required",
    );
    if (extra.length > 0) issues.push(`empty root with ${extra.join(", ")}`);
    return issues;
  }
  walk(root, "$", (node, path) => {
    for (const key of Object.keys(node))
      if (!GEMINI_KEYWORDS.has(key)) issues.push(`${path}: field ${key} not in Gemini's Schema`);
    if (typeof node.type !== "string" || !GEMINI_TYPES.has(node.type.toLowerCase()))
      issues.push(`${path}: type ${JSON.stringify(node.type)} (one Type required)`);
    if (node.enum !== undefined && node.type !== "string")
      issues.push(`${path}: enum on a non-string`);
    if (Array.isArray(node.enum) && node.enum.some((v) => typeof v !== "string"))
      issues.push(`${path}: enum values must be strings`);
    if (node.type === "object" && Object.keys((node.properties ?? {}) as object).length === 0)
      issues.push(`${path}: properties should be non-empty for OBJECT type`);
    if (node.properties !== undefined && node.type !== "object")
      issues.push(`${path}: properties only allowed for OBJECT type`);
    if (node.type === "array" && node.items === undefined)
      issues.push(`${path}: array without items`);
  });
  return issues;
}
