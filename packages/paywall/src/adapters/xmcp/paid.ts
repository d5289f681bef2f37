import { headers } from "xmcp/headers";
import type { PolarProvider } from "../../provider/polar-provider.js";
import { denialResult, type DenialResult } from "../core/denial.js";
import { findLicenseKey, type LicenseKeySourceOptions } from "../core/license-key-source.js";
import { eventFor, runPaid, STDIO_SESSION_ID, type PaidCallOptions } from "../core/run-paid.js";

export interface PaidXmcpToolOptions extends PaidCallOptions, LicenseKeySourceOptions {}

/** The request's headers over xmcp's HTTP transport; undefined over stdio (no request). */
function requestHeaders(): Record<string, string | string[] | undefined> | undefined {
  try {
    return { ...headers() };
  } catch {
    return undefined;
  }
}

/**
 * Makes an xmcp tool paid: wrap the tool's default export. The key comes from the HTTP
 * request's `license-key` header (xmcp's `headers()`), or `Authorization: Bearer`; over
 * stdio from `POLAR_LICENSE_KEY`. A denial is an `isError` result with the checkout link.
 *
 * @example
 * // src/tools/greet.ts
 * export default paidXmcpTool(polar, { toolName: "greet" }, async ({ name }: InferSchema<typeof schema>) => `Hello, ${name}!`);
 */
export function paidXmcpTool<A, R>(
  polar: PolarProvider,
  options: PaidXmcpToolOptions,
  tool: (args: A, extra?: unknown) => R | Promise<R>,
): (args: A, extra?: unknown) => Promise<R | DenialResult> {
  return async (args, extra) => {
    const bag = requestHeaders();
    const licenseKey = findLicenseKey(
      bag ? { transport: "http", headers: bag } : { transport: "stdio" },
      options,
    );
    const outcome = await runPaid(
      polar,
      licenseKey,
      eventFor(options.toolName, options.event, args),
      options.recordOn ?? "success",
      async () => tool(args, extra),
      (result) => (result as { isError?: unknown } | null)?.isError === true,
      // xmcp's HTTP transport is stateless: no session (sessionSpendCap refuses there).
      bag ? {} : { sessionId: STDIO_SESSION_ID },
    );
    return "result" in outcome ? outcome.result : denialResult(outcome.denied);
  };
}
