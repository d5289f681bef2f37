import type { EmulatorContext } from "../../context.js";
import { advanceClockTo, type ClockAdvance } from "./advance.js";
import { targetOf } from "./routes.js";

/** How far to move: calendar units, fixed units, or an absolute ISO time. */
export type ClockStep =
  | { to: string }
  | Partial<
      Record<"ms" | "seconds" | "minutes" | "hours" | "days" | "weeks" | "months" | "years", number>
    >;

/**
 * Moves an emulator's clock forward, running everything due on the way in order (renewals,
 * cancellations at period end, trial ends, checkout expiries) with its webhooks; the same as
 * `POST /__emulator/clock/advance`.
 *
 * @example
 * const emulator = createEmulator({ seed: "demo" });
 * const { happened } = advanceClock(emulator, { months: 3 }); // 3 renewals of the demo plan
 */
export function advanceClock(
  emulator: { context: EmulatorContext },
  step: ClockStep,
): ClockAdvance {
  const ctx = emulator.context;
  return advanceClockTo(ctx, targetOf(ctx.clock.now(), step as Record<string, unknown>));
}
