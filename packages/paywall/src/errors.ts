/**
 * The one error base of @polar-mcp/paywall: every local failure carries a string `code`
 * that callers can switch on; messages say what to do next and never echo secrets.
 */
export class PaywallError extends Error {
  override readonly name: string = "PaywallError";
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
