import { buildToolCatalog, loadOpenApiDocument, type OpenApiDocument } from "@polar-mcp/server";
import { GatewayHttpError } from "./errors.js";

/**
 * One OpenAPI document per Polar base URL, loaded once and kept (a failed load is retried
 * on the next request). With a fixed `spec` every account shares it.
 */
export function createSpecCache(options: {
  spec: string | OpenApiDocument | undefined;
  fetch: typeof globalThis.fetch;
  env: Record<string, string | undefined>;
}): (baseUrl: string) => Promise<OpenApiDocument> {
  const cache = new Map<string, Promise<OpenApiDocument>>();
  const fixed = options.spec ?? options.env.POLAR_OPENAPI;
  return (baseUrl) => {
    const key = fixed === undefined ? baseUrl : "*";
    let pending = cache.get(key);
    if (!pending) {
      pending = load(fixed, baseUrl, options);
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    return pending;
  };
}

async function load(
  spec: string | OpenApiDocument | undefined,
  baseUrl: string,
  options: { fetch: typeof globalThis.fetch; env: Record<string, string | undefined> },
): Promise<OpenApiDocument> {
  try {
    const doc =
      typeof spec === "object"
        ? spec
        : await loadOpenApiDocument(spec, { baseUrl, fetch: options.fetch, env: options.env });
    buildToolCatalog(doc);
    return doc;
  } catch (error) {
    throw new GatewayHttpError(
      502,
      "openapi_unavailable",
      `Cannot load Polar's OpenAPI document for this account (${(error as Error).message}). Check the account's base URL, or start the gateway with --spec / POLAR_OPENAPI.`,
    );
  }
}
