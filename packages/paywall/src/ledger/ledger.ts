/**
 * One balance the paywall enforces: a customer's credits on a meter (`meter:<customer>:<meter>`),
 * a license key's usage limit (`key:<keyId>`), or a session's spend cap (`cap:<session>`).
 *
 * available = credited − consumed − pending − reserved, where
 * - credited: what Polar granted (meter credits, the key's limit_usage, the cap);
 * - consumed: what Polar has counted (read live from Polar, plus events Polar acknowledged since);
 * - pending: calls committed here whose events Polar has not acknowledged yet (the outbox);
 * - reserved: calls accepted and still running.
 * An acknowledged event moves from pending to consumed, so a call is counted exactly once
 * whatever Polar's balance lag.
 */
export interface AccountStanding {
  credited: number;
  consumed: number;
}

export interface AccountView extends AccountStanding {
  pending: number;
  reserved: number;
  loaded: boolean;
}

/** Units per account for one call. */
export type Costs = Record<string, number>;

/** A reservation of units on several accounts, taken all or nothing. */
export interface Reservation {
  readonly id: string;
  readonly costs: Costs;
}

/** The ledger's operations; the in-process and the Redis ledgers implement it. */
export interface Ledger {
  /** Whether the account's standing was loaded from Polar (else a reservation is refused). */
  isLoaded(account: string): boolean | Promise<boolean>;
  /**
   * Sets what Polar says; `fence` is the value of `ingestFence()` taken before reading Polar:
   * the standing is applied only if no ingestion of this customer ran meanwhile. Resolves
   * whether it was applied.
   */
  load(
    customerId: string,
    standings: Record<string, AccountStanding>,
    fence: string,
  ): Promise<boolean>;
  /** An opaque marker of this customer's ingestions; see `load`. Undefined while one runs. */
  ingestFence(customerId: string): Promise<string | undefined>;
  /** Reserves all costs or none; resolves the reservation, or the first account that lacks units. */
  reserve(
    costs: Costs,
    ttlMs: number,
  ): Promise<
    { ok: true; reservation: Reservation } | { ok: false; account: string; available: number }
  >;
  /** Turns a reservation into pending usage of `actual` units (the true-up of variable costs). */
  commit(reservation: Reservation, actual: Costs): Promise<void>;
  release(reservation: Reservation): Promise<void>;
  /** Marks ingestions of these customers as running (before sending a batch). */
  beginIngest(customerIds: readonly string[]): Promise<void>;
  /** Polar acknowledged these units: pending → consumed; ends the ingestions begun. */
  acknowledge(customerIds: readonly string[], acked: Costs): Promise<void>;
  /** An ingestion failed: nothing moved; ends the ingestions begun. */
  abortIngest(customerIds: readonly string[]): Promise<void>;
  /** Adds pending units found in the outbox at start (in-process ledger only). */
  restorePending(costs: Costs): void;
  /** Forgets Polar-derived standing of a customer's accounts (webhooks); local units stay. */
  invalidate(customerId: string): Promise<void>;
  view(account: string): Promise<AccountView | undefined>;
  /** Every account of a customer (reconcile). */
  accountsOf(customerId: string): Promise<Record<string, AccountView>>;
  close(): Promise<void>;
}

/** Account names; the customer id leads so a customer's accounts can be found together. */
export const accounts = {
  meter: (customerId: string, meterId: string) => `meter:${customerId}:${meterId}`,
  licenseKey: (customerId: string, keyId: string) => `key:${customerId}:${keyId}`,
  cap: (customerId: string, sessionId: string) => `cap:${customerId}:${sessionId}`,
  customerOf: (account: string) => account.split(":")[1] ?? "",
};

export const availableOf = (a: AccountView): number =>
  a.credited - a.consumed - a.pending - a.reserved;
