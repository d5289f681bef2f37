import { readFile } from "node:fs/promises";
import { ServerError } from "../errors.js";
import type { OpenApiDocument } from "./types.js";

/** Options of {@link loadOpenApiDocument}. */
export interface LoadOpenApiOptions {
  /** Polar API base URL; without a source the document is fetched from `<baseUrl>/openapi.json`. */
  baseUrl?: string;
  /** Injected fetch (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Environment to read `POLAR_OPENAPI` from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * Loads Polar's OpenAPI document from a file path or an http(s) URL. Without a source it
 * uses `POLAR_OPENAPI` from the environment, then `<baseUrl>/openapi.json`.
 *
 * @example
 * const spec = await loadOpenApiDocument("./2026-10.openapi.json", { baseUrl: "https://api.polar.sh" });
 */
export async function loadOpenApiDocument(
  source: string | undefined,
  options: LoadOpenApiOptions = {},
): Promise<OpenApiDocument> {
  const env = options.env ?? process.env;
  const resolved = source || env.POLAR_OPENAPI || defaultSpecUrl(options.baseUrl);
  const text = /^https?:\/\//i.test(resolved)
    ? await fetchText(resolved, options.fetch ?? globalThis.fetch)
    : await readText(resolved);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ServerError(
      "invalid_openapi",
      `The OpenAPI document at ${describeSource(resolved)} is not JSON; pass Polar's openapi.json with --spec or POLAR_OPENAPI.`,
    );
  }
  if (!isOpenApi(doc)) {
    throw new ServerError(
      "invalid_openapi",
      `${describeSource(resolved)} is not an OpenAPI 3 document (no "openapi" or "paths"); pass Polar's openapi.json.`,
    );
  }
  return doc;
}

function defaultSpecUrl(baseUrl: string | undefined): string {
  if (!baseUrl) {
    throw new ServerError(
      "missing_openapi",
      "No OpenAPI document: pass --spec FILE|URL, set POLAR_OPENAPI, or give a base URL that serves /openapi.json.",
    );
  }
  return `${baseUrl.replace(/\/+$/, "")}/openapi.json`;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read error";
    throw new ServerError(
      "missing_openapi",
      `Cannot read the OpenAPI document file ${path} (${code}); check the --spec path or POLAR_OPENAPI.`,
      { cause: error },
    );
  }
}

async function fetchText(url: string, fetchImpl: typeof globalThis.fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: "application/json" } });
  } catch (error) {
    throw new ServerError(
      "missing_openapi",
      `Cannot fetch the OpenAPI document from ${describeSource(url)} (${(error as Error).message}); check the URL or pass --spec FILE.`,
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new ServerError(
      "missing_openapi",
      `Fetching the OpenAPI document from ${describeSource(url)} returned HTTP ${response.status}; check the URL or pass --spec FILE.`,
    );
  }
  return response.text();
}

function isOpenApi(doc: unknown): doc is OpenApiDocument {
  return (
    doc !== null &&
    typeof doc === "object" &&
    typeof (doc as { openapi?: unknown }).openapi === "string" &&
    typeof (doc as { paths?: unknown }).paths === "object"
  );
}

// URLs may carry credentials in their query string or userinfo; show origin and path only.
function describeSource(source: string): string {
  try {
    const url = new URL(source);
    return `${url.origin}${url.pathname}`;
  } catch {
    return source;
  }
}
