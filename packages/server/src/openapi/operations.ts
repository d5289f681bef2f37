import { ServerError } from "../errors.js";
import { deref } from "./refs.js";
import {
  HTTP_METHODS,
  type HttpMethod,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiParameter,
  type OpenApiRequestBody,
} from "./types.js";

/** One operation of the document, with its parameters and body already dereferenced. */
export interface ParsedOperation {
  operationId: string;
  method: HttpMethod;
  path: string;
  tags: string[];
  summary: string;
  description: string;
  deprecated: boolean;
  parameters: OpenApiParameter[];
  body?: { contentType: string; schema: JsonSchema; required: boolean };
  /** Accepted security alternatives, as lists of scheme names; `[]` means public. */
  security: string[][];
  /** Every OAuth scope the document names for the operation (any alternative). */
  scopes: string[];
  /** True when the operation is a paginated list (`x-polar-pagination`). */
  paginated: boolean;
}

const PREFERRED_CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded"];

/** Walks `paths` in document order and returns every operation. */
export function parseOperations(doc: OpenApiDocument): ParsedOperation[] {
  if (!doc || typeof doc !== "object" || typeof doc.paths !== "object" || doc.paths === null) {
    throw new ServerError(
      "invalid_openapi",
      "The OpenAPI document has no `paths`; pass Polar's OpenAPI document (--spec FILE|URL).",
    );
  }
  const operations: ParsedOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared = (item.parameters as OpenApiOperation["parameters"]) ?? [];
    for (const method of HTTP_METHODS) {
      const op = item[method] as OpenApiOperation | undefined;
      if (!op) continue;
      operations.push(parseOperation(doc, path, method, op, shared));
    }
  }
  return operations;
}

function parseOperation(
  doc: OpenApiDocument,
  path: string,
  method: HttpMethod,
  op: OpenApiOperation,
  shared: NonNullable<OpenApiOperation["parameters"]>,
): ParsedOperation {
  const byKey = new Map<string, OpenApiParameter>();
  for (const raw of [...shared, ...(op.parameters ?? [])]) {
    const parameter = deref<OpenApiParameter>(doc, raw);
    byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  const parameters = [...byKey.values()].filter((p) => p.in === "path" || p.in === "query");
  const security = (op.security ?? doc.security ?? []).map((alternative) =>
    Object.keys(alternative),
  );
  const scopes = new Set<string>();
  for (const alternative of op.security ?? doc.security ?? []) {
    for (const list of Object.values(alternative)) for (const scope of list) scopes.add(scope);
  }
  const parsed: ParsedOperation = {
    operationId: op.operationId ?? `${method}_${path}`,
    method,
    path,
    tags: op.tags ?? [],
    summary: op.summary ?? "",
    description: op.description ?? "",
    deprecated: op.deprecated === true,
    parameters,
    security: security.some((alternative) => alternative.length === 0) ? [] : security,
    scopes: [...scopes].sort(),
    paginated: op["x-polar-pagination"] !== undefined,
  };
  const body = op.requestBody ? parseBody(doc, op.requestBody) : undefined;
  if (body) parsed.body = body;
  return parsed;
}

function parseBody(
  doc: OpenApiDocument,
  raw: OpenApiRequestBody | { $ref: string },
): ParsedOperation["body"] {
  const body = deref<OpenApiRequestBody>(doc, raw);
  const types = Object.keys(body.content ?? {});
  const contentType = PREFERRED_CONTENT_TYPES.find((t) => types.includes(t)) ?? types[0];
  if (!contentType) return undefined;
  const schema = body.content[contentType]?.schema;
  if (!schema) return undefined;
  return { contentType, schema, required: body.required === true };
}
