import type { Outbox, OutboxAppend, OutboxEntry } from "./outbox.js";

/**
 * The outbox in memory: what the paywall falls back to where SQLite cannot load or the file
 * cannot be written (bundled apps without the native module, read-only file systems). Usage
 * still ships in batches and is flushed on `close()` and on a normal process exit; a crash
 * (kill -9, OOM) loses what was not shipped yet.
 */
export class MemoryOutbox implements Outbox {
  readonly path = ":memory:";
  readonly durable = false;
  private readonly rows = new Map<number, OutboxEntry & { dead: boolean }>();
  private nextSeq = 1;

  enqueue(entry: OutboxAppend): Promise<void> {
    const seq = this.nextSeq++;
    // A copy: the caller's event object may change after the call.
    this.rows.set(seq, {
      seq,
      externalId: entry.externalId,
      customerId: entry.customerId,
      event: { name: entry.event.name, metadata: { ...(entry.event.metadata ?? {}) } },
      costs: { ...entry.costs },
      licenseKey: entry.licenseKey ? { ...entry.licenseKey } : null,
      eventAcked: false,
      attempts: 0,
      dead: false,
    });
    return Promise.resolve();
  }

  batch(limit: number, afterSeq = 0): OutboxEntry[] {
    const out: OutboxEntry[] = [];
    for (const row of this.rows.values()) {
      if (out.length >= limit) break;
      if (row.dead || row.seq <= afterSeq) continue;
      const { dead: _dead, ...entry } = row;
      out.push(entry);
    }
    return out;
  }

  *all(): Generator<OutboxEntry> {
    yield* this.batch(Number.MAX_SAFE_INTEGER);
  }

  size(): number {
    let live = 0;
    for (const row of this.rows.values()) if (!row.dead) live += 1;
    return live;
  }

  eventsAcked(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      const row = this.rows.get(entry.seq);
      if (!row) continue;
      if (row.licenseKey) row.eventAcked = true;
      else this.rows.delete(entry.seq);
    }
  }

  done(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) this.rows.delete(entry.seq);
  }

  dead(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      const row = this.rows.get(entry.seq);
      if (row) row.dead = true;
    }
  }

  attempted(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      const row = this.rows.get(entry.seq);
      if (row) row.attempts += 1;
    }
  }

  close(): void {}
}
