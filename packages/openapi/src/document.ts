import { OpenApiError } from "./errors.js";

/** A parsed OpenAPI 3 document: the fields every reader of it relies on. */
export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string; [key: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, { [key: string]: unknown }>; [key: string]: unknown };
  [key: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for an object shaped as an OpenAPI 3 document (`openapi: "3.…"`, `paths`). */
export function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  return (
    isRecord(value) &&
    typeof value.openapi === "string" &&
    value.openapi.startsWith("3.") &&
    isRecord(value.paths)
  );
}

/**
 * Parses text read from `where` and checks it is an OpenAPI 3 document of `version`
 * (`info.version`). Every failure says what was found and what to pass instead.
 */
export function parseOpenApiDocument(
  text: string,
  where: string,
  version: string,
): OpenApiDocument {
  const fix = `pass Polar's ${version} document with --spec FILE|URL or POLAR_OPENAPI`;
  if (/^\s*</.test(text)) {
    throw new OpenApiError("invalid", `${where} is HTML, not Polar's OpenAPI document: ${fix}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OpenApiError("invalid", `${where} is not JSON: ${fix}.`);
  }
  if (!isOpenApiDocument(value)) {
    throw new OpenApiError(
      "invalid",
      `${where} is JSON but not an OpenAPI 3 document (no "openapi": "3.x" and "paths"): ${fix}.`,
    );
  }
  const found = value.info?.version;
  if (found !== version) {
    throw new OpenApiError(
      "invalid",
      `${where} is the OpenAPI document of API version ${typeof found === "string" ? found : "(none)"}, not ${version}: ${fix}.`,
    );
  }
  return value;
}

/** A source as it may be shown: origin and path of a URL (never its query or userinfo). */
export function describeSource(source: string): string {
  if (!/^https?:\/\//i.test(source)) return source;
  try {
    const url = new URL(source);
    return `${url.origin}${url.pathname}`;
  } catch {
    return "(an unparsable URL)";
  }
}
