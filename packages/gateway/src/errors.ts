/**
 * The one error base of @polar-mcp/gateway: every local failure carries a string `code`
 * that callers can switch on; messages say what to do next and never echo secrets.
 */
export class GatewayError extends Error {
  override readonly name: string = "GatewayError";
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A failure that goes back over HTTP with its status; the central error handler renders it
 * as `{ "error": code, "detail": message }`.
 *
 * @example
 * throw new GatewayHttpError(404, "account_not_found", "No account acc_… ; list accounts with GET /admin/accounts.");
 */
export class GatewayHttpError extends GatewayError {
  override readonly name: string = "GatewayHttpError";
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message);
  }
}
