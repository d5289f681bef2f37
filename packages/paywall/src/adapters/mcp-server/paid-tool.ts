import {
  UrlElicitationRequiredError,
  type CallToolResult,
  type Server,
  type ServerContext,
} from "@modelcontextprotocol/server";
import type { PolarProvider } from "../../provider/polar-provider.js";
import { paidHandler, type PaidToolCoreOptions } from "../core/paid-handler.js";

/**
 * `paidTool`'s options; `elicitation.server` is the v2 `Server` (`mcpServer.server`). Requests
 * on the 2026-07-28 revision (per-request envelope), which has neither -32042 nor the
 * completion notification, keep the `isError` denial.
 */
export type PaidToolOptions = PaidToolCoreOptions<Server>;

type ToolHandler = (...args: never[]) => CallToolResult | Promise<CallToolResult>;

/**
 * Makes a tool of the MCP SDK v2 (`@modelcontextprotocol/server` 2.x) `McpServer` paid in
 * one line. v2 hands tools a context whose `http.req` is the web `Request`: the key comes
 * from its `license-key` (or `Authorization: Bearer`) header, else `_meta`, else — over
 * stdio only — `POLAR_LICENSE_KEY`.
 *
 * @example
 * server.registerTool("greet", { inputSchema: z.object({ name: z.string() }) },
 *   paidTool(polar, { toolName: "greet" }, async ({ name }) => ({ content: [{ type: "text", text: `Hello, ${name}!` }] })));
 */
export function paidTool<H extends ToolHandler>(
  polar: PolarProvider,
  options: PaidToolOptions,
  handler: H,
): H {
  return paidHandler(polar, options, handler, {
    context: (context) => {
      const ctx = context as ServerContext | undefined;
      return {
        transport: ctx?.http !== undefined ? "http" : "stdio",
        headers: ctx?.http?.req?.headers,
        meta: ctx?.mcpReq?._meta as Record<string, unknown> | undefined,
        sessionId: ctx?.sessionId,
        // The 2026-07-28 revision (a per-request envelope) has no -32042.
        carriesUrlElicitation: ctx?.mcpReq?.envelope === undefined,
      };
    },
    urlElicitationRequired: (elicitation, message) =>
      new UrlElicitationRequiredError([elicitation], message),
  });
}
