import type { OpenApiDocument } from "@polar-mcp/server";
import type { OAuthClient } from "./connect/oauth.js";
import type { GatewayLogger } from "./observability/logger.js";
import type { RateLimitPolicy } from "./rate-limit/limiter.js";
import type { Registry } from "./registry/types.js";

/** Options of {@link createGateway}; every field has a default or an environment fallback. */
export interface GatewayOptions {
  /** SQLite registry file (default `.polar-gateway.sqlite`; `:memory:` for tests). */
  db?: string;
  /** PostgreSQL URL; wins over `db` (env `POLAR_MCP_DATABASE_URL`). Several gateways can share it. */
  databaseUrl?: string;
  /**
   * SQLite: longest wait for a lock held by another process, in ms (default 2,000). The
   * wait never blocks the event loop; past it the request answers 503 with Retry-After.
   */
  databaseLockWaitMs?: number;
  /** A registry already opened (tests, custom storage); wins over `db` and `databaseUrl`. */
  registry?: Registry;
  /** Bearer key of the admin API (env `POLAR_MCP_ADMIN_KEY`; required, at least 16 characters). */
  adminKey?: string;
  /** 32-byte key sealing account credentials, base64 or hex (env `POLAR_MCP_ENCRYPTION_KEY`). */
  encryptionKey?: string;
  /**
   * Keyring, newest first: `id:key,id:key` (env `POLAR_MCP_ENCRYPTION_KEYS`). The first
   * seals new credentials; the others open what they sealed until `accounts reencrypt`.
   * This or `encryptionKey` is required.
   */
  encryptionKeys?: string;
  /** Origin put in server URLs (env `POLAR_MCP_PUBLIC_URL`; default: the origin the admin request came to). */
  publicUrl?: string;
  /** Polar's OpenAPI document: object, file or URL (env `POLAR_OPENAPI`; default `<account base URL>/openapi.json`). */
  spec?: string | OpenApiDocument;
  /** Injected fetch for every call to Polar (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Clock in ms since the epoch (default `Date.now`): expiry, audit times, rate-limit windows. */
  now?: () => number;
  /**
   * Quotas: tool calls per server and per account (default 120 and 500 a minute; every
   * `tools/call` of a batch counts), and requests without a tool call per server
   * (`protocol`, default 600 a minute).
   */
  rateLimits?: { server?: RateLimitPolicy; account?: RateLimitPolicy; protocol?: RateLimitPolicy };
  /** Keep tool-call arguments in the audit log (default false: name, status and latency only). */
  auditArguments?: boolean;
  /** Longest wait for one Polar response before the tool call fails, in ms (default 30,000). */
  upstreamTimeoutMs?: number;
  /** Days audit entries are kept (env `POLAR_MCP_AUDIT_RETENTION_DAYS`, default 90). */
  auditRetentionDays?: number;
  /** A pino logger (default: JSON lines on stdout at `logLevel`). */
  logger?: GatewayLogger;
  /** Level of the default logger (env `POLAR_MCP_LOG_LEVEL`, default `info`; `debug` logs every request). */
  logLevel?: string;
  /** Host names served (env `POLAR_MCP_ALLOWED_HOSTS`, comma-separated); others get 421. Default: any. */
  allowedHosts?: string[];
  /** Browser origins allowed (env `POLAR_MCP_ALLOWED_ORIGINS`); others get 403 and no CORS. Default: any. */
  allowedOrigins?: string[];
  /** Bearer key of `/metrics` (env `POLAR_MCP_METRICS_KEY`; default: the admin key). */
  metricsKey?: string;
  /**
   * The gateway's OAuth2 client at Polar, for Connect with Polar (env
   * `POLAR_MCP_OAUTH_CLIENT_ID`, `POLAR_MCP_OAUTH_CLIENT_SECRET`); its redirect URI must be
   * `<public URL>/connect/callback`.
   */
  oauthClient?: OAuthClient;
  /** Environment for the fallbacks above (default `process.env`). */
  env?: Record<string, string | undefined>;
}
