import type { PolarProvider } from "../../provider/polar-provider.js";
import { denialResult } from "./denial.js";
import {
  findLicenseKey,
  type KeyRequest,
  type LicenseKeySourceOptions,
} from "./license-key-source.js";
import { elicitPurchase, type PurchaseWaits, type UrlElicitation } from "./purchase-elicitation.js";
import { eventFor, runPaid, STDIO_SESSION_ID, type PaidCallOptions } from "./run-paid.js";

/** The low-level server calls the loop needs (both SDK lines' `Server` have them). */
export interface ElicitingServer {
  getClientCapabilities(): unknown;
  createElicitationCompletionNotifier(elicitationId: string): () => Promise<void>;
}

/** The `elicitation` option of both SDK lines' `paidTool`. */
export interface PurchaseLoopOption<S extends ElicitingServer = ElicitingServer> {
  server: S;
  waits: PurchaseWaits;
}

/** The options both SDK lines' `paidTool` take; `S` is that line's low-level `Server`. */
export interface PaidToolCoreOptions<S extends ElicitingServer>
  extends PaidCallOptions, LicenseKeySourceOptions {
  /**
   * The payment loop (MCP 2025-11-25 URL elicitation): a client that declared it gets -32042
   * with its checkout instead of the `isError` denial, and `notifications/elicitation/complete`
   * once `waits` hears of the purchase (wrap the webhook handler with `completingWebhooks`).
   * `server` is the low-level server (`mcpServer.server`) of a session-keeping transport.
   */
  elicitation?: PurchaseLoopOption<S>;
}

/** What an SDK edge reads from the context its tool handler receives. */
export interface PaidCallContext extends KeyRequest {
  /** The transport's session, if any (stdio stands for one session per process). */
  sessionId?: string | undefined;
  /** `false`: this request's protocol revision has no -32042 (the `isError` denial instead). */
  carriesUrlElicitation?: boolean;
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
  options: PaidToolCoreOptions<ElicitingServer>,
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
    const loop = call.carriesUrlElicitation === false ? undefined : options.elicitation;
    const elicited =
      loop &&
      elicitPurchase(outcome.denied, {
        clientCapabilities: loop.server.getClientCapabilities(),
        completionNotifier: (id) => loop.server.createElicitationCompletionNotifier(id),
        waits: loop.waits,
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
