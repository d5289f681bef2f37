import { createHash } from "node:crypto";
import type { CheckoutUrls } from "../checkout/checkout-urls.js";
import { MemoryLedger } from "../ledger/memory-ledger.js";
import { openOutbox } from "../outbox/open-outbox.js";
import { guardApi } from "../polar/guarded-api.js";
import type { PolarApi } from "../polar/polar-api.js";
import { resolveBaseUrl, type Configuration, type PaywallLogger } from "../provider/config.js";
import { loadProductPlan } from "../provider/product-plan.js";
import { connectRedisLedger } from "../redis/redis-ledger.js";
import { CircuitBreaker } from "../shipper/circuit-breaker.js";
import { IoGate } from "../shipper/io-gate.js";
import { PaywallEngine, type EngineSettings } from "./paywall-engine.js";

/** The documented defaults of background delivery. */
export function engineSettings(config: Configuration): EngineSettings {
  return {
    ttlMs: config.cache?.ttlMs ?? 60_000,
    refreshAheadMs: config.cache?.refreshAheadMs ?? 15_000,
    negativeTtlMs: config.cache?.negativeTtlMs ?? 5_000,
    productCacheMs: config.productCacheMs ?? 60_000,
    failMode: config.failMode ?? "closed",
    graceMs: config.graceMs ?? 300_000,
    batchSize: config.batch?.size ?? 1000,
    batchIntervalMs: config.batch?.intervalMs ?? 200,
    sessionSpendCap: config.sessionSpendCap,
    reservationTtlMs: 10 * 60_000,
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
  const breaker = new CircuitBreaker();
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
  const engine = new PaywallEngine(
    {
      api,
      productId: config.productId,
      organizationId: config.organizationId,
      loadPlan: () => loadProductPlan(api, config.productId),
      checkout: parts.checkout,
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
  return engine;
}
