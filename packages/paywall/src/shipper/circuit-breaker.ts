import { classifyPolarError } from "../polar/polar-errors.js";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** First cool-down once open, doubled on each failed probe up to `maxCooldownMs` (default 1 s). */
  cooldownMs?: number;
  maxCooldownMs?: number;
  now?: () => number;
}

/**
 * Polar's health as this process sees it. After repeated failures (or a 429) the circuit
 * opens: background work stops calling Polar until the cool-down (or `Retry-After`) has
 * passed, then one probe decides. Not-found and validation answers are Polar working.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private cooldown: number;
  private readonly threshold: number;
  private readonly baseCooldown: number;
  private readonly maxCooldown: number;
  private readonly now: () => number;

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 5;
    this.baseCooldown = options.cooldownMs ?? 1000;
    this.maxCooldown = options.maxCooldownMs ?? 30_000;
    this.cooldown = this.baseCooldown;
    this.now = options.now ?? Date.now;
  }

  /** Whether a request may go to Polar now. */
  get closed(): boolean {
    return this.now() >= this.openUntil;
  }

  /** When Polar may be called again (epoch ms; in the past when closed). */
  get retryAt(): number {
    return this.openUntil;
  }

  success(): void {
    this.failures = 0;
    this.cooldown = this.baseCooldown;
  }

  /** Records a failed request; honours the `Retry-After` of a 429. */
  failure(error: unknown): void {
    const failure = classifyPolarError(error);
    if (failure.kind !== "unavailable") {
      this.success();
      return;
    }
    this.failures += 1;
    if (failure.retryAfterSeconds !== undefined) {
      this.openUntil = Math.max(this.openUntil, this.now() + failure.retryAfterSeconds * 1000);
      return;
    }
    if (this.failures >= this.threshold) {
      this.openUntil = this.now() + this.cooldown;
      this.cooldown = Math.min(this.maxCooldown, this.cooldown * 2);
    }
  }
}
