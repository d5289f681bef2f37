import { randomUUID } from "node:crypto";
import { PaywallError } from "../../errors.js";
import type { AuthorizeOptions } from "../../engine/paywall-engine.js";
import type { PolarProvider } from "../../provider/polar-provider.js";
import { messages, type UsageEvent, type ValidateLicenseKeyResult } from "../../provider/result.js";

/** When a paid call's usage is recorded. */
export type RecordOn = "success" | "attempt";

export type PaidOutcome<R> = { denied: ValidateLicenseKeyResult } | { result: R };

/** What every adapter's options share. */
export interface PaidCallOptions {
  /** Tool name, put in the default event's `metadata.tool_name`. */
  toolName: string;
  /** The usage event (default `{ name: "tool_call", metadata: { tool_name } }`), or a function of the arguments. */
  event?: UsageEvent | ((args: unknown) => UsageEvent);
  /**
   * `"success"` (default): usage is recorded only when the tool returns a non-error result.
   * `"attempt"`: recorded as soon as the call is accepted (the original plugin's behaviour).
   */
  recordOn?: RecordOn;
}

/** One stdio process is one session: its spend cap spans the process. */
export const STDIO_SESSION_ID = `stdio:${randomUUID()}`;

const refused = (message: string): { denied: ValidateLicenseKeyResult } => ({
  denied: { valid: false, code: "license_key_error", message },
});

const recordFailure = (error: unknown) =>
  refused(
    error instanceof PaywallError && error.code === "invalid_usage_event"
      ? error.message
      : messages.notRecorded(),
  );

/**
 * The adapters' shared core: authorize the call, run the tool, then record usage on success
 * (default) or before running it (`attempt`). A tool that throws or returns an error result
 * is not charged in `success` mode. With `sessionSpendCap`, a call without a session (a
 * stateless HTTP request) is refused: the cap could not be enforced.
 */
export async function runPaid<R>(
  polar: PolarProvider,
  licenseKey: string | undefined,
  event: UsageEvent,
  recordOn: RecordOn,
  run: () => Promise<R>,
  isErrorResult: (result: R) => boolean,
  options: AuthorizeOptions = {},
): Promise<PaidOutcome<R>> {
  if (polar.config.sessionSpendCap !== undefined && !options.sessionId)
    return refused(messages.noSession());
  const authorization = await polar.authorize(licenseKey, event, options);
  if (!authorization.valid) return { denied: authorization };
  if (recordOn === "attempt") {
    try {
      await authorization.commit(event);
    } catch (error) {
      return recordFailure(error);
    }
    return { result: await run() };
  }
  let result: R;
  try {
    result = await run();
  } catch (error) {
    authorization.release();
    throw error;
  }
  if (isErrorResult(result)) {
    authorization.release();
    return { result };
  }
  try {
    await authorization.commit(event);
  } catch (error) {
    // Not recorded: the result is withheld (never free), and the caller is told to retry.
    return recordFailure(error);
  }
  return { result };
}

/** The default usage event of a tool: `{ name: "tool_call", metadata: { tool_name } }`. */
export function eventFor(
  toolName: string,
  event: UsageEvent | ((args: unknown) => UsageEvent) | undefined,
  args: unknown,
): UsageEvent {
  if (typeof event === "function") return event(args);
  return event ?? { name: "tool_call", metadata: { tool_name: toolName } };
}
