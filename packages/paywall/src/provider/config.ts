import type { FetchLike } from "../polar/polar-api.js";

/** A structured logger; the paywall logs ids and codes only, never emails, names or keys. */
export interface PaywallLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * `PolarProvider.getInstance` options: the seed's four fields, plus `baseUrl` (the
 * emulator, or any Polar-compatible server), an injectable `fetch` and a logger.
 */
export interface Configuration {
  /** Polar environment. Default `"production"`. Ignored when `baseUrl` is set. */
  type?: "production" | "sandbox";
  /** Organization access token (`polar_oat_…`) with license_keys:write, customers:read, events:write, checkouts:write, products:read, meters:read. */
  token: string;
  organizationId: string;
  /** The product whose license keys (and meter credits) unlock the tools. */
  productId: string;
  /** Polar API base URL, e.g. the emulator's `http://127.0.0.1:8787`. Env fallback: `POLAR_BASE_URL`. */
  baseUrl?: string;
  /** Injected fetch (tests, proxies). Default: the global fetch. */
  fetch?: FetchLike;
  /** Where checkouts send the customer after paying. */
  successUrl?: string;
  /** Header that carries the license key in messages (default `license-key`). */
  licenseKeyHeader?: string;
  /** Per-request timeout in seconds (default 10). */
  timeoutSeconds?: number;
  /** How long product settings (benefits, meter) are cached, in ms (default 60 s). */
  productCacheMs?: number;
  logger?: PaywallLogger;
}

export const POLAR_BASE_URLS = {
  production: "https://api.polar.sh",
  sandbox: "https://sandbox-api.polar.sh",
} as const;

export function resolveBaseUrl(config: Configuration): string {
  const url =
    config.baseUrl ?? process.env.POLAR_BASE_URL ?? POLAR_BASE_URLS[config.type ?? "production"];
  return url.replace(/\/+$/, "");
}

export const SILENT_LOGGER: PaywallLogger = { warn: () => {}, error: () => {} };
