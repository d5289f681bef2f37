import type { ErrorObject, ValidateFunction } from "ajv";
import type { CatalogTool, ToolCatalog } from "../catalog/catalog.js";
import { bodyProperties } from "../catalog/fields.js";
import { deref } from "../openapi/refs.js";
import type { JsonSchema, OpenApiDocument } from "../openapi/types.js";
import { createAjv } from "./ajv.js";
import { decodeListedArguments } from "./decode.js";
import { COMPONENTS_ID, rewriteRefs } from "./rewrite.js";

/** One problem with a tool's arguments, phrased for the model. */
export interface ArgumentIssue {
  /** Field path in the tool's input (`prices[0].amount_type`), `""` for the whole input. */
  field: string;
  message: string;
}

/** Arguments split by destination, as the HTTP request needs them (wire names). */
export interface SplitArguments {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown> | undefined;
}

export type ArgumentCheck =
  ({ ok: true } & SplitArguments) | { ok: false; issues: ArgumentIssue[] };

const MAX_ISSUES = 5;

/**
 * Validates a tool's flat input against the full OpenAPI schemas (not the compact ones
 * the model sees), then splits it into path, query and body. Compiled lazily per tool.
 */
export class ArgumentValidator {
  private readonly ajv = createAjv();
  private readonly envelopes = new Map<CatalogTool, ValidateFunction>();
  private readonly bodies = new Map<string, ValidateFunction>();

  constructor(private readonly catalog: ToolCatalog) {
    const schemas = catalog.spec.components?.schemas ?? {};
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(schemas) });
  }

  check(tool: CatalogTool, input: unknown): ArgumentCheck {
    if (input === null || typeof input !== "object" || Array.isArray(input)) {
      return { ok: false, issues: [{ field: "", message: "arguments must be a JSON object." }] };
    }
    const args = decodeListedArguments(this.catalog.spec, tool, input as Record<string, unknown>);
    const envelope = this.envelope(tool);
    if (!envelope(args)) {
      return { ok: false, issues: this.issues(tool, envelope.errors ?? [], (key) => key) };
    }
    const split: SplitArguments = { path: {}, query: {}, body: undefined };
    const body: Record<string, unknown> = {};
    for (const field of tool.fields) {
      const value = args[field.name];
      if (value === undefined) continue;
      if (field.in === "body") body[field.key] = value;
      else split[field.in][field.key] = value;
    }
    const spec = tool.operation.body;
    if (!spec || (Object.keys(body).length === 0 && !spec.required)) return { ok: true, ...split };
    const schema = narrowUnion(this.catalog.spec, spec.schema, body);
    const validate = this.bodyValidator(schema);
    if (!validate(body)) {
      const exposed = new Map(
        tool.fields.filter((f) => f.in === "body").map((f) => [f.key, f.name]),
      );
      return {
        ok: false,
        issues: this.issues(tool, validate.errors ?? [], (key) => exposed.get(key) ?? key),
      };
    }
    split.body = body;
    return { ok: true, ...split };
  }

  private envelope(tool: CatalogTool): ValidateFunction {
    let validate = this.envelopes.get(tool);
    if (!validate) {
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      for (const field of tool.fields) {
        properties[field.name] = field.in === "body" ? {} : rewriteRefs(field.schema);
        if (field.in !== "body" && field.required) required.push(field.name);
      }
      validate = this.ajv.compile({
        type: "object",
        properties,
        required,
        additionalProperties: false,
      });
      this.envelopes.set(tool, validate);
    }
    return validate;
  }

  private bodyValidator(schema: JsonSchema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.bodies.get(key);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema));
      this.bodies.set(key, validate);
    }
    return validate;
  }

  private issues(
    tool: CatalogTool,
    errors: ErrorObject[],
    topName: (key: string) => string,
  ): ArgumentIssue[] {
    const specific = errors.filter((e) => !["anyOf", "oneOf", "if"].includes(e.keyword));
    const relevant = (specific.length > 0 ? specific : errors).filter(
      (e, _, all) =>
        !(isNullTypeError(e) && all.some((o) => o !== e && o.instancePath === e.instancePath)),
    );
    const seen = new Set<string>();
    const out: ArgumentIssue[] = [];
    for (const error of mergeConstErrors(relevant)) {
      const issue = toIssue(tool, error, topName);
      const key = `${issue.field}|${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(issue);
      if (out.length >= MAX_ISSUES) break;
    }
    return out;
  }
}

// Branches of a union of constants fail one by one ("must be x", "must be y"); say it once.
function mergeConstErrors(errors: ErrorObject[]): ErrorObject[] {
  const allowed = new Map<string, unknown[]>();
  for (const error of errors) {
    if (error.keyword !== "const") continue;
    const list = allowed.get(error.instancePath) ?? [];
    list.push((error.params as { allowedValue: unknown }).allowedValue);
    allowed.set(error.instancePath, list);
  }
  const out: ErrorObject[] = [];
  const merged = new Set<string>();
  for (const error of errors) {
    const values = error.keyword === "const" ? allowed.get(error.instancePath) : undefined;
    if (!values || values.length < 2) out.push(error);
    else if (!merged.has(error.instancePath)) {
      merged.add(error.instancePath);
      out.push({ ...error, keyword: "enum", params: { allowedValues: values } });
    }
  }
  return out;
}

const validators = new WeakMap<ToolCatalog, ArgumentValidator>();

/** The (cached) validator of a catalogue. */
export function validatorFor(catalog: ToolCatalog): ArgumentValidator {
  let validator = validators.get(catalog);
  if (!validator) {
    validator = new ArgumentValidator(catalog);
    validators.set(catalog, validator);
  }
  return validator;
}

function toIssue(
  tool: CatalogTool,
  error: ErrorObject,
  topName: (key: string) => string,
): ArgumentIssue {
  const segments = error.instancePath.split("/").slice(1).map(unescapePointer);
  if (segments.length > 0) segments[0] = topName(segments[0] as string);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const missing = String(params.missingProperty);
      const name = segments.length === 0 ? topName(missing) : missing;
      return { field: fieldPath([...segments, name]), message: "is required but missing." };
    }
    case "additionalProperties": {
      const extra = String(params.additionalProperty);
      if (segments.length === 0) return { field: extra, message: unknownFieldMessage(tool, extra) };
      return {
        field: fieldPath([...segments, extra]),
        message: "is not a known field here; remove it.",
      };
    }
    case "enum":
      return {
        field: fieldPath(segments),
        message: `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}.`,
      };
    case "const":
      return {
        field: fieldPath(segments),
        message: `must be ${JSON.stringify(params.allowedValue)}.`,
      };
    case "format":
      return {
        field: fieldPath(segments),
        message: `must be a valid ${String(params.format)} string.`,
      };
    case "type":
      return { field: fieldPath(segments), message: `must be of type ${String(params.type)}.` };
    default:
      return { field: fieldPath(segments), message: `${error.message ?? "is invalid"}.` };
  }
}

function unknownFieldMessage(tool: CatalogTool, extra: string): string {
  const snake = extra.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  const known = tool.fields.filter((f) => !f.deprecated).map((f) => f.name);
  if (snake !== extra && known.includes(snake))
    return `is not a field of ${tool.name}; did you mean "${snake}"?`;
  if (extra === "request" || extra === "arguments") {
    return `is not a field of ${tool.name}: pass the fields directly, not wrapped in "${extra}".`;
  }
  const list = known.length > 0 ? known.join(", ") : "(none)";
  return `is not a field of ${tool.name}; known fields: ${list}.`;
}

function fieldPath(segments: string[]): string {
  let out = "";
  for (const segment of segments)
    out += /^\d+$/.test(segment) ? `[${segment}]` : out ? `.${segment}` : segment;
  return out;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function isNullTypeError(error: ErrorObject): boolean {
  return error.keyword === "type" && (error.params as { type?: unknown }).type === "null";
}

/**
 * For a union body, keeps the one variant whose constant fields (`type: "custom"`) match
 * the arguments, so the errors are about that variant rather than all of them.
 */
function narrowUnion(
  doc: OpenApiDocument,
  schema: JsonSchema,
  body: Record<string, unknown>,
): JsonSchema {
  const resolved = deref<JsonSchema>(doc, schema);
  const variants = (resolved.anyOf ?? resolved.oneOf) as JsonSchema[] | undefined;
  if (!Array.isArray(variants)) return schema;
  const matching = variants.filter((variant) => {
    const { properties } = bodyProperties(doc, variant);
    let constants = 0;
    for (const [key, property] of Object.entries(properties)) {
      const value = constantOf(doc, property);
      if (value === undefined) continue;
      constants += 1;
      if (key in body && body[key] !== value) return false;
      if (!(key in body)) return false;
    }
    return constants > 0;
  });
  return matching.length === 1 ? narrowUnion(doc, matching[0] as JsonSchema, body) : schema;
}

function constantOf(doc: OpenApiDocument, property: JsonSchema): unknown {
  const resolved = deref<JsonSchema>(doc, property);
  if ("const" in resolved) return resolved.const;
  if (Array.isArray(resolved.enum) && resolved.enum.length === 1) return resolved.enum[0];
  return undefined;
}
