/** A failure the CLI reports as one plain line and an exit code, never a stack trace. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    readonly code: "not_landed" | "bad_option" | "failed",
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
