import type { OpenApiDocument } from "@polar-mcp/server";
import type { AuthorizationServer, OAuthClient } from "./connect/oauth.js";
import type { CredentialCipher } from "./crypto/encryption.js";
import type { AuditWriter } from "./audit/writer.js";
import type { AccountCache } from "./mcp/account-cache.js";
import type { GatewayLogger } from "./observability/logger.js";
import type { GatewayMetrics } from "./observability/metrics.js";
import type { RateLimitCheck, RateLimitPolicy, RateLimitState } from "./rate-limit/limiter.js";
import type { Registry } from "./registry/types.js";

/** Everything the admin API and the MCP endpoint share; built once by createGateway. */
export interface GatewayContext {
  registry: Registry;
  cipher: CredentialCipher;
  /** Accounts with their decrypted tokens, for the MCP endpoint. */
  accounts: AccountCache;
  adminKeyHash: string;
  publicUrl: string | undefined;
  specFor(baseUrl: string): Promise<OpenApiDocument>;
  fetch: typeof globalThis.fetch;
  now(): number;
  limits: { server: RateLimitPolicy; account: RateLimitPolicy; protocol: RateLimitPolicy };
  checkRateLimits(checks: readonly RateLimitCheck[]): Promise<RateLimitState[]>;
  auditArguments: boolean;
  /** Writes audit entries after the response, in batches; flushed before reads and on close. */
  audit: AuditWriter;
  /** Audit entries older than this many days are deleted (checked at most hourly). */
  auditRetentionDays: number;
  upstreamTimeoutMs: number;
  log: GatewayLogger;
  /** The gateway's OAuth client at Polar, for Connect with Polar (unset: connect is off). */
  oauthClient: OAuthClient | undefined;
  discover(baseUrl: string): Promise<AuthorizationServer>;
  metrics: GatewayMetrics;
}

/** ISO time of the gateway's clock. */
export function isoNow(ctx: Pick<GatewayContext, "now">): string {
  return new Date(ctx.now()).toISOString();
}
