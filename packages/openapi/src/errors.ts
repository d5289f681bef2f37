/** Why the document could not be had: each code names what to fix. */
export type OpenApiErrorCode =
  /** No source gave a document (nothing shipped, nothing cached, the fetch failed). */
  | "not_found"
  /** A file or URL answered, but not with Polar's OpenAPI document of this version. */
  | "invalid"
  /** A synchronous caller met a source that needs the network. */
  | "needs_fetch";

/**
 * The one error base of @polar-mcp/openapi. Messages name the setting to change
 * (`--spec`, `POLAR_OPENAPI`) and never carry a URL's query string or credentials.
 */
export class OpenApiError extends Error {
  override readonly name: string = "OpenApiError";
  constructor(
    readonly code: OpenApiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
