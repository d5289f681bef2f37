import { OpenApiError, resolveOpenApiDocument } from "@polar-mcp/openapi";
import { ServerError } from "../errors.js";
import type { OpenApiDocument } from "./types.js";

/** Options of {@link loadOpenApiDocument}. */
export interface LoadOpenApiOptions {
  /** Injected fetch (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Environment to read `POLAR_OPENAPI` and the cache directory from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * Loads Polar's OpenAPI document (see `@polar-mcp/openapi`): a file path or an http(s)
 * URL, else `POLAR_OPENAPI`, else the copy shipped with polar-mcp, else Polar's public
 * document for API version 2026-10, fetched once and cached.
 *
 * @example
 * const spec = await loadOpenApiDocument("./2026-10.openapi.json");
 */
export async function loadOpenApiDocument(
  source: string | undefined,
  options: LoadOpenApiOptions = {},
): Promise<OpenApiDocument> {
  try {
    const document = await resolveOpenApiDocument({
      spec: source,
      ...(options.env ? { env: options.env } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return document;
  } catch (error) {
    if (!(error instanceof OpenApiError)) throw error;
    throw new ServerError(
      error.code === "invalid" ? "invalid_openapi" : "missing_openapi",
      error.message,
      { cause: error },
    );
  }
}
