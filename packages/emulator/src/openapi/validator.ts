import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { validationError, type ValidationIssue } from "../http/errors.js";
import type { OpenApiDocument, OperationSpec } from "./document.js";
import { toIssues } from "./issues.js";

// ajv-formats is CommonJS; under NodeNext its callable export sits on `default`.
type AddFormats = (ajv: Ajv2020) => unknown;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The validated input of one request: path, query and body, with defaults applied. */
export interface ValidatedInput {
  path: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface RawInput {
  path: Record<string, string>;
  query: Record<string, string[]>;
  body: unknown;
  hasBody: boolean;
}

interface CompiledOperation {
  path: ValidateFunction;
  query: ValidateFunction;
  body: ValidateFunction | undefined;
  bodyRequired: boolean;
  arrayQueryParams: Set<string>;
}

/**
 * Query strings are coerced and take their declared defaults (page, limit, sorting). Bodies
 * take no defaults: inside a union (e.g. ProductCreate's recurring | one-time), ajv would
 * write a failed branch's defaults into the body and make the right branch fail too, and
 * Polar itself only acts on fields that were sent (`exclude_unset`).
 */
function createAjv(doc: OpenApiDocument, coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateSchema: false,
    useDefaults: coerce,
    coerceTypes: coerce ? "array" : false,
  });
  addFormats(ajv);
  ajv.addFormat("uuid4", UUID4);
  ajv.addSchema({ $id: "polar", components: doc.components ?? {} });
  return ajv;
}

/** Rewrites the document's local `$ref`s so an operation-level schema can point into it. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema && typeof schema === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
      out[key] =
        key === "$ref" && typeof value === "string" && value.startsWith("#/")
          ? `polar${value}`
          : rebase(value);
    }
    return out;
  }
  return schema;
}

function allowsArray(schema: unknown): boolean {
  if (!schema || typeof schema !== "object") return false;
  const s = schema as { type?: unknown; anyOf?: unknown[]; oneOf?: unknown[] };
  if (s.type === "array") return true;
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(allowsArray);
}

/**
 * Validates requests against Polar's OpenAPI document: path and query parameters (with
 * query strings coerced to their declared types) and JSON bodies. Operations compile on
 * first use, so start-up costs nothing.
 */
export class RequestValidator {
  private readonly strict: Ajv2020;
  private readonly coercing: Ajv2020;
  private readonly compiled = new Map<string, CompiledOperation>();

  constructor(doc: OpenApiDocument) {
    this.strict = createAjv(doc, false);
    this.coercing = createAjv(doc, true);
  }

  private compile(op: OperationSpec): CompiledOperation {
    const cached = this.compiled.get(op.operationId);
    if (cached) return cached;
    const params = op.operation.parameters ?? [];
    const group = (where: "path" | "query") => {
      const list = params.filter((p) => p.in === where);
      return {
        type: "object",
        properties: Object.fromEntries(list.map((p) => [p.name, rebase(p.schema ?? {})])),
        required: list.filter((p) => p.required).map((p) => p.name),
      };
    };
    const bodySchema = op.operation.requestBody?.content?.["application/json"]?.schema;
    const compiled: CompiledOperation = {
      path: this.strict.compile(group("path")),
      query: this.coercing.compile(group("query")),
      body: bodySchema ? this.strict.compile(rebase(bodySchema) as object) : undefined,
      bodyRequired: op.operation.requestBody?.required ?? false,
      arrayQueryParams: new Set(
        params.filter((p) => p.in === "query" && allowsArray(p.schema)).map((p) => p.name),
      ),
    };
    this.compiled.set(op.operationId, compiled);
    return compiled;
  }

  /** Returns the validated input, or throws Polar's 422 `RequestValidationError`. */
  validate(op: OperationSpec, raw: RawInput): ValidatedInput {
    const compiled = this.compile(op);
    const issues: ValidationIssue[] = [];
    const path = { ...raw.path };
    if (!compiled.path(path)) issues.push(...toIssues(compiled.path.errors, "path", path));

    const query: Record<string, unknown> = {};
    for (const [name, values] of Object.entries(raw.query)) {
      query[name] = compiled.arrayQueryParams.has(name) ? values : values[values.length - 1];
    }
    if (!compiled.query(query)) issues.push(...toIssues(compiled.query.errors, "query", query));

    let body: unknown = raw.body;
    if (compiled.body) {
      if (!raw.hasBody) {
        if (compiled.bodyRequired)
          issues.push({ type: "missing", loc: ["body"], msg: "Field required", input: null });
      } else if (!compiled.body(body)) {
        issues.push(...toIssues(compiled.body.errors as ErrorObject[], "body", body));
      }
    } else {
      body = undefined;
    }
    if (issues.length > 0) throw validationError(issues);
    return { path, query, body };
  }
}
