/** A fixed-window limit with a block: over `limit` requests in a window blocks for `blockMs`. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
  blockMs: number;
}

/**
 * Polar's rule for the customer-portal license-key endpoints (validate, activate,
 * deactivate): 3 requests per second per client, then 60 s blocked.
 */
export const PORTAL_LICENSE_KEYS: RateLimitRule = { limit: 3, windowMs: 1_000, blockMs: 60_000 };

interface ClientState {
  window: number;
  count: number;
  blockedUntil: number;
}

/**
 * Counts requests per client against one rule, on the emulator's clock (so tests advance
 * time instead of sleeping). `hit` answers 0 to admit a request, else the seconds to wait
 * (the `Retry-After` Polar sends with its empty 429).
 */
export class RateLimiter {
  private readonly clients = new Map<string, ClientState>();

  constructor(
    private readonly rule: RateLimitRule,
    private readonly now: () => number,
  ) {}

  hit(client: string): number {
    const now = this.now();
    let state = this.clients.get(client);
    if (state && state.blockedUntil > now) return Math.ceil((state.blockedUntil - now) / 1000);
    const window = Math.floor(now / this.rule.windowMs);
    if (!state || state.window !== window) {
      if (!state && this.clients.size >= 10_000) this.prune(now, window);
      state = { window, count: 0, blockedUntil: 0 };
      this.clients.set(client, state);
    }
    state.count++;
    if (state.count <= this.rule.limit) return 0;
    state.blockedUntil = now + this.rule.blockMs;
    return Math.ceil(this.rule.blockMs / 1000);
  }

  /** Forgets clients that are neither blocked nor counted in the current window. */
  private prune(now: number, window: number): void {
    for (const [client, state] of this.clients) {
      if (state.blockedUntil <= now && state.window !== window) this.clients.delete(client);
    }
  }
}
