/**
 * A cached async value: concurrent callers share one in-flight load; a failure is not
 * cached, a success is kept for `ttlMs`.
 */
export class CachedValue<T> {
  private value: { data: T; expiresAt: number } | undefined;
  private inFlight: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    if (this.value && this.value.expiresAt > this.now()) return Promise.resolve(this.value.data);
    this.inFlight ??= this.load().then(
      (data) => {
        this.value = { data, expiresAt: this.now() + this.ttlMs };
        this.inFlight = undefined;
        return data;
      },
      (error: unknown) => {
        this.inFlight = undefined;
        throw error;
      },
    );
    return this.inFlight;
  }

  invalidate(): void {
    this.value = undefined;
  }
}
