import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { isIP } from "node:net";
import { validationError, type ValidationIssue } from "../http/errors.js";
import { SchemaBundler } from "./bundle.js";
import type { OpenApiDocument, OperationSpec } from "./document.js";
import { collapseSorting, toIssues } from "./issues.js";
import { queryReader, type QueryReader } from "./query.js";

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
  /**
   * The same body schema compiled without `allErrors`: it stops at the first error, so it
   * decides validity faster (a valid body is valid either way). Only when it fails does the
   * `allErrors` validator run, to report every issue as Polar does.
   */
  fastBody: ValidateFunction | undefined;
  bodyRequired: boolean;
  /** Declared query parameters: how to read each from its raw values. */
  readers: Map<string, QueryReader>;
}

/**
 * Query parameters take their declared defaults (page, limit, sorting); they arrive already
 * coerced to their declared types (see query.ts). Bodies take no defaults: inside a union
 * (e.g. ProductCreate's recurring | one-time), ajv would write a failed branch's defaults
 * into the body and make the right branch fail too, and Polar itself only acts on fields
 * that were sent (`exclude_unset`).
 */
function createAjv(useDefaults: boolean, allErrors = true): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors,
    validateSchema: false,
    useDefaults,
    coerceTypes: false,
  });
  addFormats(ajv);
  ajv.addFormat("uuid4", UUID4);
  // Pydantic formats Polar's document uses beyond JSON Schema's own.
  ajv.addFormat("ipvanyaddress", { validate: (value: string) => isIP(value) !== 0 });
  ajv.addFormat("color", /^#?(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i);
  return ajv;
}

/**
 * Validates requests against Polar's OpenAPI document: path and query parameters and JSON
 * bodies. Nothing happens at start: ajv is set up on the first request, and each operation
 * compiles on its first call from a bundle of just the schemas it uses.
 */
export class RequestValidator {
  private ajv: { strict: Ajv2020; withDefaults: Ajv2020 } | undefined;
  /** Bodies' first-error validators (see `CompiledOperation.fastBody`). */
  private firstError: Ajv2020 | undefined;
  private readonly bundler: SchemaBundler;
  private readonly compiled = new Map<string, CompiledOperation>();

  constructor(doc: OpenApiDocument) {
    this.bundler = new SchemaBundler(doc.components?.schemas ?? {});
  }

  private compile(op: OperationSpec): CompiledOperation {
    const cached = this.compiled.get(op.operationId);
    if (cached) return cached;
    const ajv = (this.ajv ??= { strict: createAjv(false), withDefaults: createAjv(true) });
    const params = op.operation.parameters ?? [];
    const group = (where: "path" | "query") => {
      const list = params.filter((p) => p.in === where);
      return this.bundler.bundle({
        type: "object",
        properties: Object.fromEntries(list.map((p) => [p.name, p.schema ?? {}])),
        required: list.filter((p) => p.required).map((p) => p.name),
      });
    };
    const bodySchema = op.operation.requestBody?.content?.["application/json"]?.schema;
    const bundledBody = bodySchema
      ? this.bundler.bundle(bodySchema as Record<string, unknown>)
      : undefined;
    const compiled: CompiledOperation = {
      path: ajv.strict.compile(group("path")),
      query: ajv.withDefaults.compile(group("query")),
      body: bundledBody ? ajv.strict.compile(bundledBody) : undefined,
      fastBody: bundledBody
        ? (this.firstError ??= createAjv(false, false)).compile(bundledBody)
        : undefined,
      bodyRequired: op.operation.requestBody?.required ?? false,
      readers: new Map(
        params
          .filter((p) => p.in === "query")
          .map((p) => [p.name, queryReader(this.bundler, p.schema)]),
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
      const read = compiled.readers.get(name);
      query[name] = read ? read(values) : values[values.length - 1];
    }
    if (!compiled.query(query))
      issues.push(...collapseSorting(toIssues(compiled.query.errors, "query", query)));

    let body: unknown = raw.body;
    if (compiled.body) {
      if (!raw.hasBody) {
        if (compiled.bodyRequired)
          issues.push({ type: "missing", loc: ["body"], msg: "Field required", input: null });
      } else if (!compiled.fastBody?.(body) && !compiled.body(body)) {
        issues.push(...toIssues(compiled.body.errors as ErrorObject[], "body", body));
      }
    } else if (!op.operation.requestBody?.content?.["application/x-www-form-urlencoded"]) {
      // Form bodies (OAuth2) reach their handler as read; anything else has no body.
      body = undefined;
    }
    if (issues.length > 0) throw validationError(issues);
    return { path, query, body };
  }
}
