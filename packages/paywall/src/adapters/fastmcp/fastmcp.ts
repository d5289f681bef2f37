import type { IncomingMessage } from "node:http";
import type { PolarProvider } from "../../provider/polar-provider.js";
import { denialResult, type DenialResult } from "../core/denial.js";
import { findLicenseKey, type LicenseKeySourceOptions } from "../core/license-key-source.js";
import { eventFor, runPaid, STDIO_SESSION_ID, type PaidCallOptions } from "../core/run-paid.js";

/** The FastMCP session this adapter reads: the caller's license key. */
export interface LicenseKeySession {
  [key: string]: unknown;
  licenseKey?: string | undefined;
}

/**
 * A FastMCP `authenticate` function that keeps the caller's license key on the session
 * (header `license-key`, or `Authorization: Bearer`). It never rejects a connection: free
 * tools stay usable; paid tools deny with a checkout link.
 */
export function licenseKeyAuthenticate(
  options: LicenseKeySourceOptions = {},
): (request: IncomingMessage) => Promise<LicenseKeySession> {
  return async (request) => ({
    licenseKey: findLicenseKey({ transport: "http", headers: request.headers }, options),
  });
}

export interface PaidExecuteOptions extends PaidCallOptions, LicenseKeySourceOptions {}

interface FastMcpContextLike {
  session?: LicenseKeySession | undefined;
  sessionId?: string | undefined;
}

/**
 * Wraps a FastMCP tool's `execute` so the tool is paid: over HTTP the key comes from the
 * session (`authenticate: licenseKeyAuthenticate()`), over stdio from `POLAR_LICENSE_KEY`;
 * a denial is an `isError` result with `{ code, message, checkoutUrl }`.
 */
export function paidExecute<A, C extends FastMcpContextLike, R>(
  polar: PolarProvider,
  options: PaidExecuteOptions,
  execute: (args: A, context: C) => Promise<R>,
): (args: A, context: C) => Promise<R | DenialResult> {
  return async (args, context) => {
    // FastMCP gives HTTP calls a session id (and an authenticated session); stdio neither.
    const overHttp = context.sessionId !== undefined || context.session !== undefined;
    const licenseKey = overHttp
      ? context.session?.licenseKey
      : findLicenseKey({ transport: "stdio" }, options);
    const sessionId = context.sessionId ?? (overHttp ? undefined : STDIO_SESSION_ID);
    const outcome = await runPaid(
      polar,
      licenseKey,
      eventFor(options.toolName, options.event, args),
      options.recordOn ?? "success",
      () => execute(args, context),
      (result) => (result as { isError?: unknown } | null)?.isError === true,
      sessionId ? { sessionId } : {},
    );
    return "result" in outcome ? outcome.result : denialResult(outcome.denied);
  };
}
