export interface SwrCacheOptions {
  /** How long a loaded value is served without asking Polar again, in ms. */
  ttlMs: number;
  /** A value older than `ttlMs − refreshAheadMs` is reloaded in the background on use. */
  refreshAheadMs: number;
  /** How long an expired value may still be served while Polar cannot be reached (failMode open). */
  graceMs: number;
  now?: () => number;
}

interface Entry<T> {
  value: T;
  freshUntil: number;
  /** Set by `invalidate`: must be reloaded before use. */
  invalid: boolean;
}

/**
 * A cache of values loaded from Polar, keyed by string: fresh values are answered
 * synchronously; values near expiry are refreshed in the background (stale-while-revalidate)
 * so active keys never miss; concurrent misses share one load (single flight); a value can
 * say how long it lives (short for denials). When a reload fails, an expired value is served
 * for `graceMs` if the caller allows it, else the failure is thrown.
 */
export class SwrCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly loading = new Map<string, Promise<T>>();
  private readonly now: () => number;
  /**
   * Bumped by `invalidate`, which is logged while loads are under way: a load that started
   * before an invalidation selecting what it loaded reads again (what it read may predate the
   * change); loads of other keys are kept (a webhook for one customer must not throw away the
   * first sights of ten thousand others).
   */
  private generation = 0;
  private invalidations: { generation: number; select: (key: string, value: T) => boolean }[] = [];
  private readonly startedAt = new Map<string, number>();

  constructor(
    private readonly load: (key: string) => Promise<T>,
    private readonly options: SwrCacheOptions,
    private readonly ttlOf: (value: T) => number = () => options.ttlMs,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The fresh value, synchronously, or undefined (then call `get`). Triggers refresh-ahead. */
  peek(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.invalid) return undefined;
    const now = this.now();
    if (now >= entry.freshUntil) return undefined;
    if (now >= entry.freshUntil - this.options.refreshAheadMs && !this.loading.has(key))
      this.reload(key).catch(() => {});
    return entry.value;
  }

  /** The stored value whatever its age, unless invalidated; never triggers a load. */
  cached(key: string): T | undefined {
    const entry = this.entries.get(key);
    return entry && !entry.invalid ? entry.value : undefined;
  }

  /** Stores a value learnt elsewhere (a sweep), fresh for its TTL. */
  put(key: string, value: T): void {
    this.entries.set(key, { value, freshUntil: this.now() + this.ttlOf(value), invalid: false });
  }

  /** Reloads in the background; the current value is served until the new one arrives. */
  refresh(key: string): void {
    if (!this.loading.has(key)) this.reload(key).catch(() => {});
  }

  async get(key: string, allowGrace: boolean): Promise<T> {
    const fresh = this.peek(key);
    if (fresh !== undefined) return fresh;
    try {
      return await this.reload(key);
    } catch (error) {
      const entry = this.entries.get(key);
      if (
        allowGrace &&
        entry &&
        !entry.invalid &&
        this.now() < entry.freshUntil + this.options.graceMs
      )
        return entry.value;
      throw error;
    }
  }

  private reload(key: string): Promise<T> {
    let loading = this.loading.get(key);
    if (!loading) {
      const generation = this.generation;
      this.startedAt.set(key, generation);
      const done = () => {
        if (this.loading.get(key) !== loading) return;
        this.loading.delete(key);
        this.startedAt.delete(key);
        this.prune();
      };
      loading = this.load(key).then(
        (value) => {
          const stale = this.invalidations.some(
            (i) => i.generation > generation && i.select(key, value),
          );
          done();
          if (stale) return this.reload(key);
          this.entries.set(key, {
            value,
            freshUntil: this.now() + this.ttlOf(value),
            invalid: false,
          });
          return value;
        },
        (error: unknown) => {
          done();
          throw error;
        },
      );
      this.loading.set(key, loading);
    }
    return loading;
  }

  /** Forgets invalidations no load under way started before. */
  private prune(): void {
    if (this.invalidations.length === 0) return;
    let oldest = Infinity;
    for (const started of this.startedAt.values()) oldest = Math.min(oldest, started);
    this.invalidations = this.invalidations.filter((i) => i.generation > oldest);
  }

  /** Forces a reload before the next use of every entry the predicate selects. */
  invalidate(select: (key: string, value: T) => boolean): number {
    this.generation += 1;
    if (this.loading.size > 0) this.invalidations.push({ generation: this.generation, select });
    let count = 0;
    for (const [key, entry] of this.entries) {
      if (select(key, entry.value)) {
        entry.invalid = true;
        count += 1;
      }
    }
    return count;
  }

  clear(): void {
    this.entries.clear();
  }
}
