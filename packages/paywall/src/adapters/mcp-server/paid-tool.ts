import type { CallToolResult, ServerContext } from "@modelcontextprotocol/server";
import type { PolarProvider } from "../../provider/polar-provider.js";
import { denialResult } from "../core/denial.js";
import { findLicenseKey, type LicenseKeySourceOptions } from "../core/license-key-source.js";
import { eventFor, runPaid, STDIO_SESSION_ID, type PaidCallOptions } from "../core/run-paid.js";

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
  const run = handler as unknown as (...a: unknown[]) => Promise<CallToolResult>;
  const wrapped = async (...args: unknown[]): Promise<CallToolResult> => {
    const ctx = args[args.length - 1] as ServerContext | undefined;
    const input = args.length > 1 ? args[0] : undefined;
    const overHttp = ctx?.http !== undefined;
    const licenseKey = findLicenseKey(
      {
        transport: overHttp ? "http" : "stdio",
        headers: ctx?.http?.req?.headers,
        meta: ctx?.mcpReq?._meta as Record<string, unknown> | undefined,
      },
      options,
    );
    const sessionId = ctx?.sessionId ?? (overHttp ? undefined : STDIO_SESSION_ID);
    const outcome = await runPaid(
      polar,
      licenseKey,
      eventFor(options.toolName, options.event, input),
      options.recordOn ?? "success",
      () => run(...args),
      (result) => result.isError === true,
      sessionId ? { sessionId } : {},
    );
    return "denied" in outcome ? denialResult(outcome.denied) : outcome.result;
  };
  return wrapped as unknown as H;
}
