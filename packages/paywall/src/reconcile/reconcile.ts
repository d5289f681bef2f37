import { existsSync } from "node:fs";
import { outboxScope } from "../engine/create-engine.js";
import { openSqliteOutbox, outboxPath } from "../outbox/open-outbox.js";
import { accounts, type Ledger } from "../ledger/ledger.js";
import { consumedLive } from "../ledger/standing-loader.js";
import { createPolarApi } from "../polar/polar-api.js";
import { resolveBaseUrl, type Configuration } from "../provider/config.js";
import { loadProductPlan } from "../provider/product-plan.js";
import { connectRedisLedger } from "../redis/redis-ledger.js";

/** One customer's meter, as Polar, the live events and the local ledger see it. */
export interface ReconcileRow {
  customerId: string;
  meterId: string;
  credited: number;
  /** Polar's customer meter (recomputed by a debounced job, so behind while events arrive). */
  polarConsumed: number;
  /** Polar's events in the meter's window, counted now. */
  liveConsumed: number;
  /** Units accepted here and still in the outbox (not yet in Polar). */
  outboxPending: number;
  /** The shared ledger's acknowledged consumption (Redis only). */
  ledgerConsumed?: number;
  /** liveConsumed − polarConsumed: events Polar's balance does not show yet. */
  meterLag: number;
  /** ledgerConsumed − liveConsumed: what the shared ledger got wrong (should be 0). */
  ledgerDrift?: number;
  /** What the paywall enforces: credited − live − outbox pending. */
  available: number;
}

export interface ReconcileOptions extends Pick<
  Configuration,
  "token" | "organizationId" | "productId" | "baseUrl" | "type" | "fetch" | "outbox" | "redisUrl"
> {
  /** Only these customers (default: every customer with a meter of the product's credits). */
  customerIds?: string[];
}

/**
 * Compares the local ledger (outbox, and the shared Redis ledger when configured) with
 * Polar's customer meters and its live events, per customer and meter. The work behind
 * `polar-mcp paywall reconcile`.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileRow[]> {
  const api = createPolarApi({
    accessToken: options.token,
    baseUrl: resolveBaseUrl(options as Configuration),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const plan = await loadProductPlan(api, options.productId);
  const pending = new Map<string, number>();
  const scope = outboxScope(options as Configuration);
  const path = outboxPath(options as Configuration, scope);
  if (path !== ":memory:" && existsSync(path)) {
    const outbox = openSqliteOutbox(path, scope);
    for (const entry of outbox.all())
      for (const [account, units] of Object.entries(entry.costs))
        pending.set(account, (pending.get(account) ?? 0) + units);
    outbox.close();
  }
  const redisUrl = options.redisUrl ?? process.env.POLAR_PAYWALL_REDIS_URL;
  const ledger: Ledger | undefined = redisUrl
    ? connectRedisLedger(redisUrl, outboxScope(options as Configuration), {
        onInvalidate: () => {},
      })
    : undefined;
  const rows: ReconcileRow[] = [];
  try {
    for (const credit of plan.credits) {
      const meters = [];
      for (let page = 1; ; page++) {
        const list = await api.listCustomerMeters({ meter_id: credit.meterId, page, limit: 100 });
        meters.push(...list.items);
        if (page >= list.pagination.max_page) break;
      }
      for (const meter of meters) {
        if (options.customerIds && !options.customerIds.includes(meter.customer_id)) continue;
        const account = accounts.meter(meter.customer_id, credit.meterId);
        const live = await consumedLive(api, meter.customer_id, credit);
        const outboxPending = pending.get(account) ?? 0;
        const view = await ledger?.view(account);
        rows.push({
          customerId: meter.customer_id,
          meterId: credit.meterId,
          credited: meter.credited_units,
          polarConsumed: meter.consumed_units,
          liveConsumed: live,
          outboxPending,
          meterLag: live - meter.consumed_units,
          available: meter.credited_units - live - outboxPending,
          ...(view ? { ledgerConsumed: view.consumed, ledgerDrift: view.consumed - live } : {}),
        });
      }
    }
  } finally {
    await ledger?.close();
  }
  return rows;
}
