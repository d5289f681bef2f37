import { Hono } from "hono";
import { adminAuth } from "./admin/auth.js";
import { createAuditWriter } from "./audit/writer.js";
import { registerAllowlists, registerObservation } from "./http/observe.js";
import { createLogger } from "./observability/logger.js";
import { createMetrics } from "./observability/metrics.js";
import { createAdminApp } from "./admin/routes.js";
import type { GatewayContext } from "./context.js";
import { createCredentialCipher, keyringFrom } from "./crypto/encryption.js";
import { hashSecret } from "./crypto/secrets.js";
import { GatewayError, GatewayHttpError } from "./errors.js";
import { renderError } from "./http/errors.js";
import { registerMiddleware } from "./http/middleware.js";
import { createAccountCache } from "./mcp/account-cache.js";
import { registerMcpEndpoint } from "./mcp/endpoint.js";
import { createDiscovery } from "./connect/oauth.js";
import { registerConnectRoutes } from "./connect/routes.js";
import { registerProxyEndpoint } from "./proxy/endpoint.js";
import type { GatewayOptions } from "./options.js";
import {
  createRateLimiter,
  DEFAULT_ACCOUNT_RATE_LIMIT,
  DEFAULT_PROTOCOL_RATE_LIMIT,
  DEFAULT_SERVER_RATE_LIMIT,
} from "./rate-limit/limiter.js";
import { DatabaseUnavailableError } from "./registry/errors.js";
import { openRegistry } from "./registry/open.js";
import type { Registry } from "./registry/types.js";
import { createSpecCache } from "./specs.js";

/** How long a call to Polar may take before the tool call fails (ms). */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;

/** Days audit entries are kept by default. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

/** Shortest admin key accepted. */
export const MIN_ADMIN_KEY_LENGTH = 16;

/** A gateway in this process: a web-standard `fetch` handler over its registry. */
export interface Gateway {
  /** Handles one HTTP request (admin API under `/admin`, MCP under `/mcp/<secret>`). */
  fetch(request: Request): Promise<Response>;
  readonly app: Hono;
  readonly registry: Registry;
  /** Writes the audit entries still queued, then closes the registry (the database connection or file). */
  close(): Promise<void>;
}

/**
 * Creates a gateway: opens the registry (SQLite by default, PostgreSQL with
 * `databaseUrl`), checks the admin and encryption keys, and routes the admin API and the
 * MCP endpoints. Throws a `GatewayError` saying what to set when a key is missing or bad.
 *
 * @example
 * const gateway = await createGateway({ db: ":memory:", adminKey, encryptionKey });
 * const res = await gateway.fetch(new Request("http://gw/admin/accounts", { headers: { authorization: `Bearer ${adminKey}` } }));
 */
export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const env = options.env ?? process.env;
  const adminKey = options.adminKey ?? env.POLAR_MCP_ADMIN_KEY;
  if (!adminKey || adminKey.length < MIN_ADMIN_KEY_LENGTH) {
    throw new GatewayError(
      adminKey ? "invalid_admin_key" : "missing_admin_key",
      `POLAR_MCP_ADMIN_KEY must be set to at least ${MIN_ADMIN_KEY_LENGTH} characters (e.g. \`openssl rand -base64 32\`); the admin API authenticates with it.`,
    );
  }
  const cipher = createCredentialCipher(
    keyringFrom(
      options.encryptionKeys ?? env.POLAR_MCP_ENCRYPTION_KEYS,
      options.encryptionKey ?? env.POLAR_MCP_ENCRYPTION_KEY,
    ),
  );
  const fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const databaseUrl = options.databaseUrl ?? env.POLAR_MCP_DATABASE_URL;
  const registry =
    options.registry ??
    (await openRegistry({
      ...(options.db !== undefined ? { db: options.db } : {}),
      ...(databaseUrl ? { databaseUrl } : {}),
      ...(options.databaseLockWaitMs !== undefined
        ? { lockWaitMs: options.databaseLockWaitMs }
        : {}),
    }));
  const publicUrl = options.publicUrl ?? env.POLAR_MCP_PUBLIC_URL;
  const oauthClient =
    options.oauthClient ??
    (env.POLAR_MCP_OAUTH_CLIENT_ID
      ? {
          clientId: env.POLAR_MCP_OAUTH_CLIENT_ID,
          ...(env.POLAR_MCP_OAUTH_CLIENT_SECRET
            ? { clientSecret: env.POLAR_MCP_OAUTH_CLIENT_SECRET }
            : {}),
        }
      : undefined);
  const log = options.logger ?? createLogger(options.logLevel ?? env.POLAR_MCP_LOG_LEVEL ?? "info");
  const ctx: GatewayContext = {
    registry,
    cipher,
    accounts: createAccountCache(registry, cipher, { now, fetch, oauthClient }),
    adminKeyHash: hashSecret(adminKey),
    publicUrl: publicUrl || undefined,
    specFor: createSpecCache({ spec: options.spec, fetch, env }),
    fetch,
    now,
    limits: {
      server: options.rateLimits?.server ?? DEFAULT_SERVER_RATE_LIMIT,
      account: options.rateLimits?.account ?? DEFAULT_ACCOUNT_RATE_LIMIT,
      protocol: options.rateLimits?.protocol ?? DEFAULT_PROTOCOL_RATE_LIMIT,
    },
    checkRateLimits: createRateLimiter(registry, now),
    auditArguments: options.auditArguments ?? false,
    audit: createAuditWriter(registry, log),
    auditRetentionDays:
      options.auditRetentionDays ??
      positiveNumber(env.POLAR_MCP_AUDIT_RETENTION_DAYS, "POLAR_MCP_AUDIT_RETENTION_DAYS") ??
      DEFAULT_AUDIT_RETENTION_DAYS,
    upstreamTimeoutMs: options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
    log,
    metrics: createMetrics(),
    oauthClient,
    discover: createDiscovery(fetch),
  };
  const metricsKeyHash = hashSecret(options.metricsKey ?? env.POLAR_MCP_METRICS_KEY ?? adminKey);

  const app = new Hono();
  app.onError(renderError);
  app.notFound((c) =>
    c.json(
      {
        error: "not_found",
        detail: "Unknown path: the admin API is under /admin, MCP servers under /mcp/<secret>.",
      },
      404,
    ),
  );
  registerObservation(app, ctx);
  const allowedOrigins = options.allowedOrigins ?? list(env.POLAR_MCP_ALLOWED_ORIGINS);
  registerAllowlists(
    app,
    options.allowedHosts ?? list(env.POLAR_MCP_ALLOWED_HOSTS),
    allowedOrigins,
  );
  registerMiddleware(app, allowedOrigins);
  // Liveness answers from memory; readiness asks the database, bounded so it answers at once.
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", async (c) => {
    const problem = await readiness(registry);
    if (!problem) return c.json({ ok: true });
    return c.json(
      { ok: false, error: problem.code, detail: problem.message },
      503,
      problem.headers,
    );
  });
  const metricsAuth = adminAuth(
    metricsKeyHash,
    "Metrics need Authorization: Bearer <POLAR_MCP_METRICS_KEY> (or the admin key when that is unset).",
  );
  app.get("/metrics", metricsAuth, async (c) =>
    c.body(await ctx.metrics.registry.metrics(), 200, {
      "content-type": ctx.metrics.registry.contentType,
    }),
  );
  const admin = createAdminApp(ctx);
  registerConnectRoutes(app, admin, ctx);
  app.route("/admin", admin);
  registerMcpEndpoint(app, ctx);
  registerProxyEndpoint(app, ctx);

  return {
    fetch: async (request) => app.fetch(request),
    app,
    registry,
    // Audit entries still queued are written before the registry closes.
    close: async () => {
      await ctx.audit.flush();
      await registry.close();
    },
  };
}

const READINESS_TIMEOUT_MS = 1_000;

// Undefined when the registry answers within a second; else why not.
async function readiness(registry: Registry): Promise<GatewayHttpError | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(DatabaseUnavailableError.unreachable()), READINESS_TIMEOUT_MS);
  });
  try {
    await Promise.race([registry.ping(), timeout]);
    return undefined;
  } catch (error) {
    return error instanceof GatewayHttpError ? error : DatabaseUnavailableError.unreachable();
  } finally {
    clearTimeout(timer);
  }
}

function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

function positiveNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new GatewayError("invalid_option", `${name} must be a positive number of days.`);
  return n;
}
