import { createHash } from "node:crypto";
import { inTurn } from "../budget/request-budget.js";
import { CheckoutUrls } from "../checkout/checkout-urls.js";
import { MemoryLedger } from "../ledger/memory-ledger.js";
import { openOutbox } from "../outbox/open-outbox.js";
import { guardApi } from "../polar/guarded-api.js";
import type { PolarApi } from "../polar/polar-api.js";
import { resolveBaseUrl, type Configuration, type PaywallLogger } from "../provider/config.js";
import { loadProductPlan } from "../provider/product-plan.js";
import { connectRedisLedger, RedisLedger } from "../redis/redis-ledger.js";
import { RedisStandings } from "../redis/redis-standings.js";
import { CircuitBreaker } from "../shipper/circuit-breaker.js";
import { IoGate } from "../shipper/io-gate.js";
import { createSyncParts, syncEnabled } from "../sync/sync-parts.js";
import { PaywallEngine, type EngineSettings } from "./paywall-engine.js";

/** The documented defaults of background delivery. */
export function engineSettings(config: Configuration): EngineSettings {
  // Kept in sync (the default), a standing is read once and never expires: webhooks, the
  // paywall's own usage and the sweeps keep it current. A configured TTL still re-reads it.
  const sync = syncEnabled(config);
  const ttlMs = config.cache?.ttlMs ?? (sync ? Infinity : 60_000);
  return {
    ttlMs,
    refreshAheadMs: config.cache?.refreshAheadMs ?? (Number.isFinite(ttlMs) ? 15_000 : 0),
    negativeTtlMs: config.cache?.negativeTtlMs ?? 5_000,
    productCacheMs: config.productCacheMs ?? 60_000,
    failMode: config.failMode ?? "closed",
    graceMs: config.graceMs ?? 300_000,
    batchSize: config.batch?.size ?? 1000,
    // One ingestion a second at most keeps ingestion's share of Polar's limit fixed.
    batchIntervalMs: config.batch?.intervalMs ?? (sync ? 1000 : 200),
    sessionSpendCap: config.sessionSpendCap,
    reservationTtlMs: 10 * 60_000,
    firstSightWaitMs: config.budget?.firstSightWaitMs ?? 10_000,
  };
}

/** Rows of one outbox file belong to one configuration (base URL, organization, product). */
export function outboxScope(config: Configuration): string {
  return createHash("sha256")
    .update(JSON.stringify([resolveBaseUrl(config), config.organizationId, config.productId]))
    .digest("hex")
    .slice(0, 16);
}

/** Wires the engine of background delivery: breaker, outbox, ledger (memory or Redis), shipper. */
export function createEngine(
  config: Readonly<Configuration>,
  parts: { api: PolarApi; checkout: CheckoutUrls; logger: PaywallLogger },
): PaywallEngine {
  const breaker = new CircuitBreaker(config.circuitBreaker);
  const api = guardApi(parts.api, breaker);
  const redisUrl = config.redisUrl ?? process.env.POLAR_PAYWALL_REDIS_URL;
  const scope = outboxScope(config);
  // Other replicas' invalidations reach this engine once it exists.
  const holder: { engine?: PaywallEngine } = {};
  const ledger = redisUrl
    ? connectRedisLedger(redisUrl, scope, {
        onInvalidate: (customerId) => void holder.engine?.invalidateCustomer(customerId, false),
      })
    : new MemoryLedger();
  const sync = syncEnabled(config)
    ? createSyncParts(
        config,
        api,
        parts.logger,
        ledger instanceof RedisLedger ? { redis: ledger.redis, prefix: ledger.prefix } : undefined,
      )
    : undefined;
  const firstSightApi = sync?.firstSightApi ?? api;
  const background: { stop(): Promise<void> | void }[] = [];
  const engine = new PaywallEngine(
    {
      api: firstSightApi,
      ...(sync
        ? { ingestApi: sync.ingestApi, background, prepayFirstSight: sync.prepayFirstSight }
        : {}),
      ...(ledger instanceof RedisLedger
        ? { shared: new RedisStandings(ledger.redis, ledger.prefix) }
        : {}),
      productId: config.productId,
      organizationId: config.organizationId,
      // The product is read before any first sight waiting in line (turn 0): every call,
      // known customers' included, needs it once it expires.
      loadPlan: () => inTurn(0, () => loadProductPlan(firstSightApi, config.productId)),
      // With the budget, denials' checkouts draw from it (and pass the breaker) like every
      // other request; getCheckoutUrl() keeps the provider's own.
      checkout: sync
        ? new CheckoutUrls(sync.checkoutApi, config.productId, {
            successUrl: config.successUrl,
            logger: parts.logger,
          })
        : parts.checkout,
      licenseKeyHeader: config.licenseKeyHeader ?? "license-key",
      logger: parts.logger,
      outbox: openOutbox(config, scope, parts.logger),
      ledger,
      breaker,
      gate: new IoGate(),
      ...("broadcast" in ledger
        ? {
            broadcastInvalidation: (id: string) =>
              (ledger as { broadcast(id: string): void }).broadcast(id),
          }
        : {}),
    },
    engineSettings(config),
  );
  holder.engine = engine;
  if (sync) {
    const sweeper = sync.start(engine);
    engine.sweeper = sweeper;
    // Sweeps stop first; the budget closes once close() has flushed the outbox through it.
    background.push(sweeper);
    engine.onClosed(() => sync.budget.close());
  }
  return engine;
}
