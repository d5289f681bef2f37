import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  UrlElicitationRequiredError,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { PolarProvider } from "../../provider/polar-provider.js";
import { denialResult } from "../core/denial.js";
import { findLicenseKey, type LicenseKeySourceOptions } from "../core/license-key-source.js";
import { elicitPurchase, type PurchaseWaits } from "../core/purchase-elicitation.js";
import { eventFor, runPaid, STDIO_SESSION_ID, type PaidCallOptions } from "../core/run-paid.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface PaidToolOptions extends PaidCallOptions, LicenseKeySourceOptions {
  /**
   * The payment loop (MCP 2025-11-25 URL elicitation): a client that declared it gets -32042
   * with its checkout instead of the `isError` denial, and `notifications/elicitation/complete`
   * once `waits` hears of the purchase (wrap the webhook handler with `completingWebhooks`).
   * `server` is the low-level server (`mcpServer.server`) of a session-keeping transport.
   */
  elicitation?: { server: Server; waits: PurchaseWaits };
}

type ToolHandler = (...args: never[]) => CallToolResult | Promise<CallToolResult>;

/**
 * Makes a tool of the MCP SDK v1 (`@modelcontextprotocol/sdk`) `McpServer` paid in one line:
 * the key comes from the request (see `findLicenseKey`; `POLAR_LICENSE_KEY` over stdio
 * only), denials become `isError` results with `{ code, message, checkoutUrl }`.
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
    // HTTP transports hand the request's headers to the tool; stdio has none.
    const overHttp = extra?.requestInfo !== undefined;
    const licenseKey = findLicenseKey(
      {
        transport: overHttp ? "http" : "stdio",
        headers: extra?.requestInfo?.headers,
        meta: extra?._meta as Record<string, unknown> | undefined,
      },
      options,
    );
    const sessionId = extra?.sessionId ?? (overHttp ? undefined : STDIO_SESSION_ID);
    const event = eventFor(options.toolName, options.event, input);
    const outcome = await runPaid(
      polar,
      licenseKey,
      event,
      options.recordOn ?? "success",
      () => run(...args),
      (result) => result.isError === true,
      sessionId ? { sessionId } : {},
    );
    if (!("denied" in outcome)) return outcome.result;
    const loop = options.elicitation;
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
    if (elicited)
      throw new UrlElicitationRequiredError([elicited.elicitation], outcome.denied.message);
    return denialResult(outcome.denied);
  };
  return wrapped as unknown as H;
}
