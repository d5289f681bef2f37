import type { AuthorizeOptions } from "../engine/paywall-engine.js";
import type { PolarProvider } from "../provider/polar-provider.js";
import type { UsageEvent, ValidateLicenseKeyResult } from "../provider/result.js";

/** When a paid call's usage is recorded. */
export type RecordOn = "success" | "attempt";

export type PaidOutcome<R> = { denied: ValidateLicenseKeyResult } | { result: R };

/**
 * The adapters' shared core: authorize the call, run the tool, then record usage on success
 * (default) or before running it (`attempt`). A tool that throws or returns an error result
 * is not charged in `success` mode.
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
  const authorization = await polar.authorize(licenseKey, event, options);
  if (!authorization.valid) return { denied: authorization };
  if (recordOn === "attempt") {
    try {
      await authorization.commit(event);
    } catch {
      return {
        denied: {
          valid: false,
          code: "license_key_error",
          message:
            "The call could not be recorded for billing, so it was not run and not charged. Try again shortly.",
        },
      };
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
  if (isErrorResult(result)) authorization.release();
  else await authorization.commit(event);
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
