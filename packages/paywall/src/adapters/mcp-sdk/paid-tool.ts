import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { PolarProvider } from "../provider/polar-provider.js";
import type { UsageEvent } from "../provider/result.js";
import { denialResult } from "./denial.js";
import { findLicenseKey, type LicenseKeySourceOptions } from "./license-key-source.js";
import { eventFor, runPaid, type RecordOn } from "./run-paid.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface PaidToolOptions extends LicenseKeySourceOptions {
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

type ToolHandler = (...args: never[]) => CallToolResult | Promise<CallToolResult>;

/**
 * Makes an `McpServer` tool paid in one line: the key comes from the request (see
 * `findLicenseKey`), denials become `isError` results with `{ code, message, checkoutUrl }`.
 *
 * @example
 * server.registerTool("greet", { inputSchema: { name: z.string() } },
 *   paidTool(polar, { toolName: "greet" }, async ({ name }) => ({ content: [{ type: "text", text: `Hello, ${name}!` }] })));
 */
export function paidTool<H extends ToolHandler>(
  polar: PolarProvider,
  options: PaidToolOptions,
  handler: H,
): H {
  const run = handler as unknown as (...a: unknown[]) => Promise<CallToolResult>;
  const wrapped = async (...args: unknown[]): Promise<CallToolResult> => {
    const extra = args[args.length - 1] as Extra | undefined;
    const input = args.length > 1 ? args[0] : undefined;
    const licenseKey = findLicenseKey(
      {
        headers: extra?.requestInfo?.headers,
        meta: extra?._meta as Record<string, unknown> | undefined,
      },
      options,
    );
    const outcome = await runPaid(
      polar,
      licenseKey,
      eventFor(options.toolName, options.event, input),
      options.recordOn ?? "success",
      () => run(...args),
      (result) => result.isError === true,
      // Streamable HTTP sessions (and stdio's one session) carry an id: spend caps per session.
      extra?.sessionId ? { sessionId: extra.sessionId } : {},
    );
    return "denied" in outcome ? denialResult(outcome.denied) : outcome.result;
  };
  return wrapped as unknown as H;
}
