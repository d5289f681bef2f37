/**
 * The one error base of @polar-mcp/server: every local failure carries a string `code`
 * that callers can switch on; messages say what to do next and never echo secrets.
 */
export class ServerError extends Error {
  override readonly name: string = "ServerError";
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
