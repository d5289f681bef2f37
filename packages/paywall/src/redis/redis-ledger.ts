import { randomUUID } from "node:crypto";
import type { Redis, RedisOptions } from "ioredis";
import { PaywallError } from "../errors.js";
import { loadOptionalModule } from "../runtime/optional-module.js";
import {
  type AccountStanding,
  type AccountView,
  type Costs,
  type Ledger,
  type Reservation,
} from "../ledger/ledger.js";
import { ACKNOWLEDGE, BEGIN_INGEST, INVALIDATE, LOAD, RESERVE, SETTLE } from "./scripts.js";

/**
 * The ledger shared by every replica through Redis: balances, reservations and ingestion
 * fences live in Redis and change only inside Lua scripts, so N processes together reserve
 * against one balance exactly as one process would. Invalidations travel on a pub/sub channel.
 */
export class RedisLedger implements Ledger {
  private readonly subscriber: Redis;
  /** Keys of this configuration start with it (the budget and the sweep lease share it). */
  readonly prefix: string;
  private readonly instance = randomUUID();

  constructor(
    /** The connection, shared with the fleet's request budget and sweep lease. */
    readonly redis: Redis,
    scope: string,
    private readonly onInvalidate: (customerId: string) => void,
  ) {
    this.prefix = `polar-paywall:${scope}:`;
    this.subscriber = redis.duplicate();
    this.subscriber.on("error", () => {});
    void this.subscriber.subscribe(this.channel).catch(() => {});
    this.subscriber.on("message", (_channel: string, message: string) => {
      const [from, customerId] = message.split(" ");
      if (from !== this.instance && customerId) this.onInvalidate(customerId);
    });
  }

  private get channel() {
    return `${this.prefix}invalidate`;
  }
  private account = (name: string) => `${this.prefix}a:${name}`;
  private fence = (customerId: string) => `${this.prefix}f:${customerId}`;
  private members = (customerId: string) => `${this.prefix}c:${customerId}`;
  private get reservations() {
    return [`${this.prefix}resv`, `${this.prefix}resc`];
  }

  /** Tells the other replicas to forget a customer (a webhook reached this one). */
  broadcast(customerId: string): void {
    void this.redis.publish(this.channel, `${this.instance} ${customerId}`).catch(() => {});
  }

  async isLoaded(account: string): Promise<boolean> {
    return (await this.redis.hget(this.account(account), "loaded")) === "1";
  }

  async ingestFence(customerId: string): Promise<string | undefined> {
    const [inflight, epoch] = await this.redis.hmget(this.fence(customerId), "inflight", "epoch");
    return Number(inflight ?? 0) > 0 ? undefined : (epoch ?? "0");
  }

  async load(
    customerId: string,
    standings: Record<string, AccountStanding>,
    fence: string,
  ): Promise<boolean> {
    const applied = await this.redis.eval(
      LOAD,
      2,
      this.fence(customerId),
      this.members(customerId),
      fence,
      `${this.prefix}a:`,
      JSON.stringify(standings),
    );
    return applied === 1;
  }

  async reserve(costs: Costs, ttlMs: number) {
    const entries = Object.entries(costs);
    const id = randomUUID();
    const [ok, index, available] = (await this.redis.eval(
      RESERVE,
      2 + entries.length,
      ...this.reservations,
      ...entries.map(([name]) => this.account(name)),
      Date.now(),
      ttlMs,
      id,
      JSON.stringify(costs),
      entries.length,
      `${this.prefix}a:`,
      ...entries.map(([, units]) => units),
    )) as [number, number, string];
    if (ok === 1) return { ok: true as const, reservation: { id, costs } };
    return {
      ok: false as const,
      account: entries[index - 1]?.[0] ?? "",
      available: available === "unloaded" ? 0 : Number(available),
    };
  }

  async commit(reservation: Reservation, actual: Costs): Promise<void> {
    await this.redis.eval(
      SETTLE,
      2,
      ...this.reservations,
      reservation.id,
      `${this.prefix}a:`,
      JSON.stringify(actual),
    );
  }

  async release(reservation: Reservation): Promise<void> {
    await this.redis.eval(SETTLE, 2, ...this.reservations, reservation.id, `${this.prefix}a:`);
  }

  async beginIngest(customerIds: readonly string[]): Promise<void> {
    const unique = [...new Set(customerIds)];
    await this.redis.eval(BEGIN_INGEST, unique.length, ...unique.map(this.fence));
  }

  async acknowledge(customerIds: readonly string[], acked: Costs): Promise<void> {
    const unique = [...new Set(customerIds)];
    await this.redis.eval(
      ACKNOWLEDGE,
      unique.length,
      ...unique.map(this.fence),
      `${this.prefix}a:`,
      JSON.stringify(acked),
    );
  }

  async abortIngest(customerIds: readonly string[]): Promise<void> {
    await this.acknowledge(customerIds, {});
  }

  /** Pending units already live in Redis (they were added when the calls committed). */
  restorePending(): void {}

  async invalidate(customerId: string): Promise<void> {
    await this.redis.eval(INVALIDATE, 1, this.members(customerId), `${this.prefix}a:`);
  }

  async view(account: string): Promise<AccountView | undefined> {
    const [credited, consumed, pending, reserved, loaded] = await this.redis.hmget(
      this.account(account),
      "credited",
      "consumed",
      "pending",
      "reserved",
      "loaded",
    );
    if (loaded === null && credited === null) return undefined;
    return {
      credited: Number(credited ?? 0),
      consumed: Number(consumed ?? 0),
      pending: Number(pending ?? 0),
      reserved: Number(reserved ?? 0),
      loaded: loaded === "1",
    };
  }

  async accountsOf(customerId: string): Promise<Record<string, AccountView>> {
    const found: Record<string, AccountView> = {};
    for (const name of await this.redis.smembers(this.members(customerId))) {
      const view = await this.view(name);
      if (view) found[name] = view;
    }
    return found;
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => {});
  }
}

/** Connects the shared ledger (`redis://…`); commands queue until the connection is up. */
export function connectRedisLedger(
  url: string,
  scope: string,
  options: { onInvalidate(customerId: string): void },
): RedisLedger {
  // ioredis is an optional peer dependency: loaded only when Redis is configured.
  const loaded = loadOptionalModule("ioredis");
  if (!loaded.ok)
    throw new PaywallError(
      "redis_unavailable",
      `redisUrl is set but ${loaded.reason}: install ioredis (npm install ioredis).`,
    );
  const RedisClient = (
    loaded.module as { Redis: new (url: string, options: RedisOptions) => Redis }
  ).Redis;
  const redis = new RedisClient(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  redis.on("error", () => {});
  return new RedisLedger(redis, scope, options.onInvalidate);
}
