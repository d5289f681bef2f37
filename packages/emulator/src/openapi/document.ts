import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
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

/** Where a checkout of this repository keeps Polar's document (tests and development). */
const REPOSITORY_DOCUMENT = fileURLToPath(
  new URL("../../../../../shared/polar-openapi/2026-10.openapi.json", import.meta.url),
);

/**
 * Resolves the OpenAPI document: an object as given, a file path, or else the
 * `POLAR_OPENAPI` file, or else the copy beside a checkout of this repository.
 */
export function loadDocument(source?: string | OpenApiDocument): OpenApiDocument {
  if (source && typeof source === "object") return source;
  const path =
    source ??
    process.env.POLAR_OPENAPI ??
    (existsSync(REPOSITORY_DOCUMENT) ? REPOSITORY_DOCUMENT : undefined);
  if (!path) {
    throw new EmulatorError(
      "spec_not_found",
      "Polar's OpenAPI document was not found: pass spec (CLI --spec FILE) or set POLAR_OPENAPI to its path.",
    );
  }
  if (/^https?:\/\//.test(path)) {
    throw new EmulatorError(
      "spec_url_needs_fetch",
      "Load a spec URL with loadDocumentFromUrl() first and pass the document object.",
    );
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new EmulatorError("spec_not_found", `Cannot read the OpenAPI document at ${path}.`);
  }
  try {
    return JSON.parse(text) as OpenApiDocument;
  } catch {
    throw new EmulatorError("spec_invalid", `The OpenAPI document at ${path} is not valid JSON.`);
  }
}

/** Fetches an OpenAPI document from a URL (the CLI's `--spec https://…`). */
export async function loadDocumentFromUrl(
  url: string,
  fetchImpl: typeof fetch = fetch,
): Promise<OpenApiDocument> {
  const response = await fetchImpl(url);
  if (!response.ok) {
    throw new EmulatorError("spec_not_found", `GET ${url} answered ${response.status}.`);
  }
  return (await response.json()) as OpenApiDocument;
}
