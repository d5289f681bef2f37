import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { PolarProvider } from "../../provider/polar-provider.js";
import { denialResult } from "../core/denial.js";
import { findLicenseKey, type LicenseKeySourceOptions } from "../core/license-key-source.js";
import { eventFor, runPaid, STDIO_SESSION_ID, type PaidCallOptions } from "../core/run-paid.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface PaidToolOptions extends PaidCallOptions, LicenseKeySourceOptions {}

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
