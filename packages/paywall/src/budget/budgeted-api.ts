import { PolarRateLimitError } from "@polar-sh/sdk";
import type { PolarApi } from "../polar/polar-api.js";
import { classifyPolarError } from "../polar/polar-errors.js";
import type { RequestBudget } from "./request-budget.js";
import type { Priority } from "./token-bucket.js";

/**
 * The Polar API drawing one token of `priority` before each request; a 429 pauses the whole
 * budget until its Retry-After (60 s when Polar names none).
 */
export function budgetedApi(
  api: PolarApi,
  budget: RequestBudget,
  priority: Priority,
  waitMs?: number,
): PolarApi {
  const wrapped: Partial<Record<keyof PolarApi, unknown>> = {};
  for (const name of Object.keys(api) as (keyof PolarApi)[]) {
    const call = api[name] as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args: unknown[]) =>
      budget.send(
        priority,
        waitMs,
        async () => {
          try {
            return await call(...args);
          } catch (error) {
            if (error instanceof PolarRateLimitError) budget.rateLimited(error.retryAfter ?? 60);
            throw error;
          }
        },
        (error) => classifyPolarError(error).kind === "unavailable",
      );
  }
  return wrapped as PolarApi;
}
