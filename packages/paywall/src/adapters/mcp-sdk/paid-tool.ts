import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  UrlElicitationRequiredError,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { PolarProvider } from "../../provider/polar-provider.js";
import { paidHandler, type PaidToolCoreOptions } from "../core/paid-handler.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** `paidTool`'s options; `elicitation.server` is the v1 `Server` (`mcpServer.server`). */
export type PaidToolOptions = PaidToolCoreOptions<Server>;

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
      return {
        // HTTP transports hand the request's headers to the tool; stdio has none.
        transport: extra?.requestInfo !== undefined ? "http" : "stdio",
        headers: extra?.requestInfo?.headers,
        meta: extra?._meta as Record<string, unknown> | undefined,
        sessionId: extra?.sessionId,
      };
    },
    urlElicitationRequired: (elicitation, message) =>
      new UrlElicitationRequiredError([elicitation], message),
  });
}
