import type { IncomingMessage } from "node:http";
import type { PolarProvider } from "../provider/polar-provider.js";
import type { UsageEvent } from "../provider/result.js";
import { findLicenseKey, type LicenseKeySourceOptions } from "./license-key-source.js";
import { eventFor, runPaid, type RecordOn } from "./run-paid.js";

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
    licenseKey: findLicenseKey({ headers: request.headers }, { ...options, envVar: "\u0000" }),
  });
}

export interface PaidExecuteOptions extends LicenseKeySourceOptions {
  toolName: string;
  event?: UsageEvent | ((args: unknown) => UsageEvent);
  recordOn?: RecordOn;
}

interface FastMcpContextLike {
  session?: LicenseKeySession | undefined;
}

interface FastMcpErrorResult {
  content: { type: "text"; text: string }[];
  isError: true;
  structuredContent: Record<string, unknown>;
}

/**
 * Wraps a FastMCP tool's `execute` so the tool is paid: the key comes from the session
 * (see `licenseKeyAuthenticate`), or over stdio from `POLAR_LICENSE_KEY`; a denial is an
 * `isError` result with `{ code, message, checkoutUrl }`.
 */
export function paidExecute<A, C extends FastMcpContextLike, R>(
  polar: PolarProvider,
  options: PaidExecuteOptions,
  execute: (args: A, context: C) => Promise<R>,
): (args: A, context: C) => Promise<R | FastMcpErrorResult> {
  return async (args, context) => {
    const licenseKey = context.session?.licenseKey ?? findLicenseKey({}, options);
    const outcome = await runPaid(
      polar,
      licenseKey,
      eventFor(options.toolName, options.event, args),
      options.recordOn ?? "success",
      () => execute(args, context),
      (result) => (result as { isError?: unknown } | null)?.isError === true,
    );
    if ("result" in outcome) return outcome.result;
    const { code, message, checkoutUrl } = outcome.denied;
    return {
      content: [{ type: "text", text: message }],
      isError: true,
      structuredContent: { code, message, ...(checkoutUrl ? { checkoutUrl } : {}) },
    };
  };
}
