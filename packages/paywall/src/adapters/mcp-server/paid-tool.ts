import {
  UrlElicitationRequiredError,
  type CallToolResult,
  type ServerContext,
} from "@modelcontextprotocol/server";
import type { PolarProvider } from "../../provider/polar-provider.js";
import type { LicenseKeySourceOptions } from "../core/license-key-source.js";
import { paidHandler } from "../core/paid-handler.js";
import type { PaidCallOptions } from "../core/run-paid.js";

export interface PaidToolOptions extends PaidCallOptions, LicenseKeySourceOptions {}

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
      };
    },
    urlElicitationRequired: (elicitation, message) =>
      new UrlElicitationRequiredError([elicitation], message),
  });
}
