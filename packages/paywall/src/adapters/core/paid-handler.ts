import type { PolarProvider } from "../../provider/polar-provider.js";
import { denialResult } from "./denial.js";
import {
  findLicenseKey,
  type KeyRequest,
  type LicenseKeySourceOptions,
} from "./license-key-source.js";
import { elicitPurchase, type PurchaseWaits, type UrlElicitation } from "./purchase-elicitation.js";
import { eventFor, runPaid, STDIO_SESSION_ID, type PaidCallOptions } from "./run-paid.js";

/** The purchase loop as one connection carries it (read only when a call is refused). */
export interface PurchaseLoop {
  /** The client's declared capabilities (from its initialize). */
  clientCapabilities: unknown;
  /** Sends `notifications/elicitation/complete` for an elicitation id (the SDK's notifier). */
  completionNotifier: (elicitationId: string) => () => Promise<void>;
  waits: PurchaseWaits;
}

/** What an SDK edge reads from the context its tool handler receives. */
export interface PaidCallContext extends KeyRequest {
  /** The transport's session, if any (stdio stands for one session per process). */
  sessionId?: string | undefined;
  /** The purchase loop of this call's connection; `undefined`: the structured denial only. */
  purchaseLoop?: (() => PurchaseLoop | undefined) | undefined;
}

/** One SDK line's edge: how to read its handler context and how it says -32042. */
export interface PaidHandlerEdge {
  context: (extra: unknown) => PaidCallContext;
  urlElicitationRequired: (elicitation: UrlElicitation, message: string) => Error;
}

type ToolHandler = (...args: never[]) => unknown;

/** Whether a tool's result is an MCP error result (`isError: true`): not charged. */
const isErrorResult = (result: unknown): boolean =>
  typeof result === "object" && result !== null && "isError" in result && result.isError === true;

/**
 * The paid tool's one decision, shared by the SDK v1 and v2 edges: find the key, authorize,
 * run and record (see `runPaid`); a refusal becomes -32042 with the customer's checkout when
 * the connection carries the purchase loop and a purchase fixes it, else the `isError` denial.
 * The handler's last argument is the SDK's context; with more than one, the first is the input.
 */
export function paidHandler<H extends ToolHandler>(
  polar: PolarProvider,
  options: PaidCallOptions & LicenseKeySourceOptions,
  handler: H,
  edge: PaidHandlerEdge,
): H {
  const run = handler as unknown as (...a: unknown[]) => Promise<unknown>;
  const wrapped = async (...args: unknown[]): Promise<unknown> => {
    const call = edge.context(args[args.length - 1]);
    const input = args.length > 1 ? args[0] : undefined;
    const licenseKey = findLicenseKey(call, options);
    const sessionId = call.sessionId ?? (call.transport === "http" ? undefined : STDIO_SESSION_ID);
    const event = eventFor(options.toolName, options.event, input);
    const outcome = await runPaid(
      polar,
      licenseKey,
      event,
      options.recordOn ?? "success",
      () => run(...args),
      isErrorResult,
      sessionId ? { sessionId } : {},
    );
    if (!("denied" in outcome)) return outcome.result;
    const loop = call.purchaseLoop?.();
    const elicited =
      loop &&
      elicitPurchase(outcome.denied, {
        ...loop,
        ready: async () => {
          const again = await polar.authorize(licenseKey, event, sessionId ? { sessionId } : {});
          again.release();
          return again.valid;
        },
      });
    if (elicited) throw edge.urlElicitationRequired(elicited.elicitation, outcome.denied.message);
    return denialResult(outcome.denied);
  };
  return wrapped as unknown as H;
}
