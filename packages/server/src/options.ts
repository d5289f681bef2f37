import type { ToolFilterOptions } from "./filters/types.js";
import type { OpenApiDocument } from "./openapi/types.js";

/** Polar production API. */
export const POLAR_PRODUCTION_BASE_URL = "https://api.polar.sh";
/** Polar sandbox API. */
export const POLAR_SANDBOX_BASE_URL = "https://sandbox-api.polar.sh";
/** Default bound on a 429's Retry-After that the server waits out before retrying. */
export const DEFAULT_MAX_RETRY_AFTER_SECONDS = 10;

/** How tools are listed: see {@link PolarMcpServerOptions.mode}. */
export type ServerMode = "toolsets" | "static" | "dynamic";
/** The fewest tools a mainstream client uses (Cursor: its first 40); the default listing stays within it. */
export const CLIENT_TOOL_LIMIT = 40;

/** Options of {@link createPolarMcpServer}. Filters: see {@link ToolFilterOptions}. */
export interface PolarMcpServerOptions extends ToolFilterOptions {
  /** Polar's OpenAPI document, already loaded (see `loadOpenApiDocument`). */
  spec: OpenApiDocument;
  /** Polar API base URL; wins over `server` (default production). */
  baseUrl?: string;
  /** Polar environment when no `baseUrl` is given. */
  server?: "production" | "sandbox";
  /**
   * The Polar credential every call uses. Not read from the environment here, so that a
   * multi-tenant host never leaks one tenant's token to another; `servePolarMcp` falls
   * back to `POLAR_ACCESS_TOKEN`. Never taken from the MCP client.
   */
  accessToken?: string;
  /** Injected fetch (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /**
   * `toolsets` (default, or `static` when `all` is set): the chosen `toolsets` as tools plus
   * search/describe/call for the other operations; `static`: one tool per allowed
   * operation; `dynamic`: search/describe/call only.
   */
  mode?: ServerMode;
  /**
   * Toolsets listed as tools of their own in `toolsets` mode: `default` (the hero
   * operations), `all`, or resource groups named after OpenAPI tags (`customers`,
   * `checkout_links` …). Default: every allowed operation when they are at most
   * {@link CLIENT_TOOL_LIMIT}, else `default`.
   */
  toolsets?: readonly string[];
  /** Longest Retry-After (s) waited out on a 429 before retrying (default 10). */
  maxRetryAfterSeconds?: number;
  /**
   * Longest text of a tool result, in characters (default 20,000, below Claude Code's
   * 10,000-token warning). Lists over it are cut at item boundaries, with the calls that
   * return the rest.
   */
  resultBudgetChars?: number;
  /** Per-tool budget of listed input schemas, in bytes of JSON (default 280). */
  schemaBudgetBytes?: number;
  /** Waits between 429 retries (default setTimeout); injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock for Retry-After dates (default Date.now). */
  now?: () => number;
}

/** `baseUrl`, else the URL of `server`, else production. */
export function resolveBaseUrl(options: {
  baseUrl?: string | undefined;
  server?: string | undefined;
}): string {
  if (options.baseUrl) return options.baseUrl.replace(/\/+$/, "");
  return options.server === "sandbox" ? POLAR_SANDBOX_BASE_URL : POLAR_PRODUCTION_BASE_URL;
}
