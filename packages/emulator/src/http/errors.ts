/** One validation problem, in Polar's (FastAPI's) shape. */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

/**
 * The emulator's one wire error: a status plus Polar's body `{ error, detail }`. The central
 * error handler renders it; handlers just throw.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === "string" ? detail : error);
  }

  body(): unknown {
    return { error: this.error, detail: this.detail };
  }
}

export const notFound = (detail = "Not found") => new HttpError(404, "ResourceNotFound", detail);
export const badRequest = (detail: string) => new HttpError(400, "BadRequest", detail);
export const notPermitted = (detail: string) => new HttpError(403, "NotPermitted", detail);
export const alreadyExists = (detail: string) =>
  new HttpError(409, "ResourceAlreadyExists", detail);
export const unauthorized = (detail = "Unauthorized") =>
  new HttpError(401, "Unauthorized", detail, { "WWW-Authenticate": "Bearer" });
export const validationError = (issues: ValidationIssue[]) =>
  new HttpError(422, "RequestValidationError", issues);

/** A 422 with a single issue, for checks that the OpenAPI schema cannot express. */
export function invalid(
  loc: (string | number)[],
  msg: string,
  input?: unknown,
  type = "value_error",
): HttpError {
  return validationError([{ type, loc, msg, input }]);
}
