import { randomUUID } from "node:crypto";
import {
  accounts,
  availableOf,
  type AccountStanding,
  type AccountView,
  type Costs,
  type Ledger,
  type Reservation,
} from "./ledger.js";

interface Fence {
  inFlight: number;
  epoch: number;
}

/**
 * The ledger of one process: plain objects and synchronous arithmetic, so a reservation
 * is decided in microseconds and two calls can never interleave inside one.
 */
export class MemoryLedger implements Ledger {
  private readonly accounts = new Map<string, AccountView>();
  private readonly fences = new Map<string, Fence>();
  private readonly reservations = new Map<string, Reservation>();

  private account(name: string): AccountView {
    let account = this.accounts.get(name);
    if (!account) {
      account = { credited: 0, consumed: 0, pending: 0, reserved: 0, loaded: false };
      this.accounts.set(name, account);
    }
    return account;
  }

  private fence(customerId: string): Fence {
    let fence = this.fences.get(customerId);
    if (!fence) {
      fence = { inFlight: 0, epoch: 0 };
      this.fences.set(customerId, fence);
    }
    return fence;
  }

  isLoaded(name: string): boolean {
    return this.accounts.get(name)?.loaded === true;
  }

  async ingestFence(customerId: string): Promise<string | undefined> {
    const fence = this.fence(customerId);
    return fence.inFlight > 0 ? undefined : String(fence.epoch);
  }

  async load(
    customerId: string,
    standings: Record<string, AccountStanding>,
    fence: string,
  ): Promise<boolean> {
    const now = this.fence(customerId);
    if (now.inFlight > 0 || String(now.epoch) !== fence) return false;
    for (const [name, standing] of Object.entries(standings)) {
      const account = this.account(name);
      account.credited = standing.credited;
      account.consumed = standing.consumed;
      account.loaded = true;
    }
    return true;
  }

  async reserve(costs: Costs) {
    return this.reserveNow(costs);
  }

  /** The synchronous core of `reserve`, for the hot path. */
  reserveNow(
    costs: Costs,
  ): { ok: true; reservation: Reservation } | { ok: false; account: string; available: number } {
    for (const [name, units] of Object.entries(costs)) {
      const account = this.accounts.get(name);
      if (!account?.loaded) return { ok: false, account: name, available: 0 };
      const available = availableOf(account);
      if (units > 0 && available < units) return { ok: false, account: name, available };
    }
    for (const [name, units] of Object.entries(costs)) this.account(name).reserved += units;
    const reservation = { id: randomUUID(), costs };
    this.reservations.set(reservation.id, reservation);
    return { ok: true as const, reservation };
  }

  async commit(reservation: Reservation, actual: Costs): Promise<void> {
    this.commitNow(reservation, actual);
  }

  commitNow(reservation: Reservation, actual: Costs): void {
    if (!this.reservations.delete(reservation.id)) return;
    for (const [name, units] of Object.entries(reservation.costs))
      this.account(name).reserved -= units;
    for (const [name, units] of Object.entries(actual)) this.account(name).pending += units;
  }

  async release(reservation: Reservation): Promise<void> {
    this.releaseNow(reservation);
  }

  releaseNow(reservation: Reservation): void {
    if (!this.reservations.delete(reservation.id)) return;
    for (const [name, units] of Object.entries(reservation.costs))
      this.account(name).reserved -= units;
  }

  async beginIngest(customerIds: readonly string[]): Promise<void> {
    for (const id of new Set(customerIds)) {
      const fence = this.fence(id);
      fence.inFlight += 1;
      fence.epoch += 1;
    }
  }

  async acknowledge(customerIds: readonly string[], acked: Costs): Promise<void> {
    for (const [name, units] of Object.entries(acked)) {
      const account = this.account(name);
      account.pending -= units;
      account.consumed += units;
    }
    await this.abortIngest(customerIds);
  }

  async abortIngest(customerIds: readonly string[]): Promise<void> {
    for (const id of new Set(customerIds)) {
      const fence = this.fence(id);
      fence.inFlight = Math.max(0, fence.inFlight - 1);
    }
  }

  restorePending(costs: Costs): void {
    for (const [name, units] of Object.entries(costs)) this.account(name).pending += units;
  }

  async invalidate(customerId: string): Promise<void> {
    for (const [name, account] of this.accounts) {
      if (accounts.customerOf(name) === customerId && !name.startsWith("cap:"))
        account.loaded = false;
    }
  }

  async view(name: string): Promise<AccountView | undefined> {
    const account = this.accounts.get(name);
    return account ? { ...account } : undefined;
  }

  async accountsOf(customerId: string): Promise<Record<string, AccountView>> {
    const found: Record<string, AccountView> = {};
    for (const [name, account] of this.accounts)
      if (accounts.customerOf(name) === customerId) found[name] = { ...account };
    return found;
  }

  async close(): Promise<void> {}
}
