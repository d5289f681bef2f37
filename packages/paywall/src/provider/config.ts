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
  /**
   * `"background"` (default): the hot path never waits on Polar — keys and balances are
   * cached, credits are reserved in a local ledger, usage events go through a durable outbox
   * shipped in batches. `"direct"`: every call asks Polar (validate, state, ingest), as the
   * original plugin did.
   */
  delivery?: "background" | "direct";
  /**
   * The outbox: a SQLite file, or `":memory:"` (lost on a crash). Env fallback
   * `POLAR_PAYWALL_OUTBOX`; default `$XDG_STATE_HOME/polar-paywall/outbox-<scope>.sqlite`
   * (else under `~/.local/state`), never the working directory. Needs the optional peer
   * `better-sqlite3`; without it (or on a read-only file system) the outbox is kept in memory,
   * with one warning. One file may serve several providers: rows are scoped to the configuration.
   */
  outbox?: string;
  /** `"power-loss"` also survives an OS crash (fsync per call, slower). Default `"process-crash"`. */
  outboxDurability?: "process-crash" | "power-loss";
  cache?: {
    /** How long a key's validation and a customer's standing are trusted, ms (default 60 000). */
    ttlMs?: number;
    /** Entries in use are refreshed in the background this long before expiry (default 15 000). */
    refreshAheadMs?: number;
    /** How long a denial (unknown, revoked, expired key) is cached, ms (default 5 000). */
    negativeTtlMs?: number;
  };
  /** Usage events per ingest request (default 1000) and the shipping interval in ms (default 200). */
  batch?: { size?: number; intervalMs?: number };
  /**
   * When Polar cannot be reached and a key's cached validation has expired: `"closed"`
   * (default) denies with `license_key_error`; `"open"` keeps serving customers it knows from
   * their last known standing (credits still enforced locally) for `graceMs` more. Unknown
   * keys are denied in both modes. Usage is never lost either way (the outbox).
   */
  failMode?: "closed" | "open";
  /** Grace of `failMode: "open"`, ms (default 300 000). */
  graceMs?: number;
  /**
   * The circuit breaker in front of Polar: after 5 failures in a row without a Retry-After,
   * background work stops calling Polar for `cooldownMs` (default 1 000), doubled on each
   * failed probe up to `maxCooldownMs` (default 30 000). A 429's Retry-After always wins.
   */
  circuitBreaker?: { cooldownMs?: number; maxCooldownMs?: number };
  /** Redis URL: the cache and the ledger are shared by every replica. Env fallback `POLAR_PAYWALL_REDIS_URL`. */
  redisUrl?: string;
  /** Units one MCP session (or agent) may spend, across all its calls (default: no cap). */
  sessionSpendCap?: number;
  /**
   * How standings stay current without asking Polar per customer (background delivery): a key
   * and a customer are read once, then kept current by webhooks, by the paywall's own
   * acknowledged usage and by bulk delta sweeps of Polar's list endpoints inside `budget`.
   * `enabled: false` restores per-customer polling every `cache.ttlMs` (the previous algorithm).
   */
  sync?: SyncOptions;
  /** The Polar request budget of this paywall (with Redis: of the whole fleet). */
  budget?: BudgetOptions;
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

export interface SyncOptions {
  /** Default true. */
  enabled?: boolean;
  /** How often keys turned `revoked`/`disabled` are listed, ms (default 10 000). */
  revocationsMs?: number;
  /** How often grants given or taken since the last sweep are listed, ms (default 15 000). */
  grantsMs?: number;
  /** How often customer meters modified since the last sweep are listed, ms (default 30 000). */
  metersMs?: number;
  /** How often all keys are re-listed for `expires_at` / `limit_usage` edits, ms (default 60 000). */
  keysMs?: number;
}

export interface BudgetOptions {
  /** Polar requests per minute this paywall may send (default 300; Polar allows 500). */
  requestsPerMinute?: number;
  /** Of those, at most this many per minute for sweeps (default 100). */
  sweepsPerMinute?: number;
  /** The most requests sent at once after a quiet spell (default requestsPerMinute / 6). */
  burst?: number;
  /** How long a new customer's first call may wait for the budget, ms (default 10 000). */
  firstSightWaitMs?: number;
}
