import { PaywallError } from "../errors.js";
import type { CircuitBreaker } from "../shipper/circuit-breaker.js";
import type { PolarApi } from "./polar-api.js";

/**
 * The Polar API behind the circuit breaker: while the circuit is open a request fails at
 * once (no 10 s timeout on the hot path), and every answer teaches the breaker.
 */
export function guardApi(api: PolarApi, breaker: CircuitBreaker): PolarApi {
  const guarded = {} as Record<string, unknown>;
  for (const [name, call] of Object.entries(api) as [
    string,
    (...args: unknown[]) => Promise<unknown>,
  ][]) {
    guarded[name] = async (...args: unknown[]) => {
      if (!breaker.closed)
        throw new PaywallError("polar_unavailable", "Polar unreachable (circuit open)");
      try {
        const result = await call(...args);
        breaker.success();
        return result;
      } catch (error) {
        breaker.failure(error);
        throw error;
      }
    };
  }
  return guarded as unknown as PolarApi;
}
