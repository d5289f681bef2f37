import {
  OpenApiError,
  resolveOpenApiDocument,
  resolveOpenApiDocumentSync,
} from "@polar-mcp/openapi";
import { EmulatorError } from "../errors.js";

/** The parts of an OpenAPI 3.1 document the emulator reads. */
export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string };
  paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  components?: { schemas?: Record<string, unknown> };
  [key: string]: unknown;
}

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: unknown;
}

export interface OpenApiOperation {
  operationId: string;
  tags?: string[];
  summary?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
}

/** One operation of the document, indexed for routing. */
export interface OperationSpec {
  operationId: string;
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  tags: string[];
  operation: OpenApiOperation;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Every operation of the document, in document order. */
export function listOperations(doc: OpenApiDocument): OperationSpec[] {
  const operations: OperationSpec[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as OpenApiOperation | undefined;
      if (operation?.operationId) {
        operations.push({
          operationId: operation.operationId,
          method,
          path,
          tags: operation.tags ?? [],
          operation,
        });
      }
    }
  }
  return operations;
}

/** Wraps the resolver's failure in this package's error base, keeping its message. */
function asEmulatorError(error: unknown): unknown {
  if (!(error instanceof OpenApiError)) return error;
  return new EmulatorError(`spec_${error.code}`, error.message, { cause: error });
}

/**
 * Resolves the OpenAPI document without the network (see `@polar-mcp/openapi`): an object
 * as given, a file path, else `POLAR_OPENAPI`, the shipped copy, or the cached copy. A URL
 * is served from the cache only; {@link loadDocumentFromUrl} fetches it.
 */
export function loadDocument(source?: string | OpenApiDocument): OpenApiDocument {
  if (typeof source === "object") return source;
  try {
    return resolveOpenApiDocumentSync({ spec: source });
  } catch (error) {
    throw asEmulatorError(error);
  }
}

/**
 * Resolves the OpenAPI document with the network allowed: as {@link loadDocument}, and a
 * URL (the source, `POLAR_OPENAPI`, or Polar's public document) is fetched and cached.
 */
export async function loadDocumentFromUrl(
  url?: string | OpenApiDocument,
  fetchImpl?: typeof fetch,
): Promise<OpenApiDocument> {
  if (typeof url === "object") return url;
  try {
    return await resolveOpenApiDocument({ spec: url, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  } catch (error) {
    throw asEmulatorError(error);
  }
}
