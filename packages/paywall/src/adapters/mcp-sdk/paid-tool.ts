import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  UrlElicitationRequiredError,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { PolarProvider } from "../../provider/polar-provider.js";
import type { LicenseKeySourceOptions } from "../core/license-key-source.js";
import { paidHandler } from "../core/paid-handler.js";
import type { PurchaseWaits } from "../core/purchase-elicitation.js";
import type { PaidCallOptions } from "../core/run-paid.js";

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
  return paidHandler(polar, options, handler, {
    context: (ctx) => {
      const extra = ctx as Extra | undefined;
      const loop = options.elicitation;
      return {
        // HTTP transports hand the request's headers to the tool; stdio has none.
        transport: extra?.requestInfo !== undefined ? "http" : "stdio",
        headers: extra?.requestInfo?.headers,
        meta: extra?._meta as Record<string, unknown> | undefined,
        sessionId: extra?.sessionId,
        purchaseLoop: loop
          ? () => ({
              clientCapabilities: loop.server.getClientCapabilities(),
              completionNotifier: (id) => loop.server.createElicitationCompletionNotifier(id),
              waits: loop.waits,
            })
          : undefined,
      };
    },
    urlElicitationRequired: (elicitation, message) =>
      new UrlElicitationRequiredError([elicitation], message),
  });
}
