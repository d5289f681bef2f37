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
