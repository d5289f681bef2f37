import { buildToolCatalog, loadOpenApiDocument, type OpenApiDocument } from "@polar-mcp/server";
import { GatewayHttpError } from "./errors.js";

/**
 * Polar's OpenAPI document, loaded once on first use and shared by every account (a failed
 * load is retried on the next request). It comes from `spec`, else `POLAR_OPENAPI`, else
 * the copy shipped with polar-mcp, else Polar's public document, fetched once and cached
 * (see `@polar-mcp/openapi`). The accounts' `fetch` is for Polar's API, not for the document.
 */
export function createSpecCache(options: {
  spec: string | OpenApiDocument | undefined;
  fetch: typeof globalThis.fetch;
  env: Record<string, string | undefined>;
}): (baseUrl: string) => Promise<OpenApiDocument> {
  let pending: Promise<OpenApiDocument> | undefined;
  return () => {
    if (!pending) {
      const loading = load(options.spec, options.env);
      loading.catch(() => {
        if (pending === loading) pending = undefined;
      });
      pending = loading;
    }
    return pending;
  };
}

async function load(
  spec: string | OpenApiDocument | undefined,
  env: Record<string, string | undefined>,
): Promise<OpenApiDocument> {
  try {
    const doc = typeof spec === "object" ? spec : await loadOpenApiDocument(spec, { env });
    buildToolCatalog(doc);
    return doc;
  } catch (error) {
    throw new GatewayHttpError(
      502,
      "openapi_unavailable",
      `Cannot load Polar's OpenAPI document (${(error as Error).message})`,
    );
  }
}
