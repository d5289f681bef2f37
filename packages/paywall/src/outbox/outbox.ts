import type { Costs } from "../ledger/ledger.js";
import type { UsageEvent } from "../provider/result.js";

/** One accepted call's usage, waiting for Polar to acknowledge it. */
export interface OutboxEntry {
  seq: number;
  /** The event's `external_id`, fixed when the call was accepted: Polar de-duplicates on it. */
  externalId: string;
  customerId: string;
  event: UsageEvent;
  /** Units per ledger account other than the license key's usage. */
  costs: Costs;
  /** A key with a usage limit: its use is counted with `increment_usage` once the event is in. */
  licenseKey: { key: string; account: string } | null;
  eventAcked: boolean;
  attempts: number;
}

export interface OutboxAppend {
  externalId: string;
  customerId: string;
  event: UsageEvent;
  costs: Costs;
  licenseKey: { key: string; account: string } | null;
}

/**
 * Accepted usage until Polar acknowledges it. Two stores: a SQLite file (durable: survives a
 * process crash) and memory (survives nothing but a normal exit, which flushes it).
 */
export interface Outbox {
  /** Where the rows live: a file path, or `":memory:"`. */
  readonly path: string;
  /** Whether an accepted call's usage survives a crash of this process. */
  readonly durable: boolean;
  /** Records one accepted call; resolves once it is stored (acknowledge the call only then). */
  enqueue(entry: OutboxAppend): Promise<void>;
  /** Up to `limit` live entries after `afterSeq`, oldest first. */
  batch(limit: number, afterSeq?: number): OutboxEntry[];
  /** Every live entry (startup: their units are pending in the ledger). */
  all(): Iterable<OutboxEntry>;
  size(): number;
  /** Events Polar acknowledged: rows are done, or wait for their key's usage increment. */
  eventsAcked(entries: readonly OutboxEntry[]): void;
  /** Rows whose key usage increment Polar acknowledged. */
  done(entries: readonly OutboxEntry[]): void;
  /** Rows Polar rejects for good (e.g. the customer was deleted): kept, never resent. */
  dead(entries: readonly OutboxEntry[]): void;
  attempted(entries: readonly OutboxEntry[]): void;
  close(): void;
}
