import type { EmulatorContext } from "../../context.js";
import { EmulatorError } from "../../errors.js";
import { batchStateChanges } from "../webhooks/state-changed.js";
import { dueItems, type DueItem } from "./due.js";

export interface ClockAdvance {
  from: string;
  to: string;
  /** What happened on the way, in order. */
  happened: { kind: DueItem["kind"]; id: string; at: string }[];
}

/** A runaway guard: a daily subscription advanced ten years is ~3,650 steps. */
const MAX_STEPS = 100_000;

/**
 * Moves the emulator's clock to `target` (epoch ms), stopping at every moment something is
 * due on the way (renewals, cancellations reaching period end, trial ends, checkout
 * expiries) and running it with the clock at that moment, each with its webhooks. A renewal
 * schedules the next one, which is picked up if it also falls before `target`.
 */
export function advanceClockTo(ctx: EmulatorContext, target: number): ClockAdvance {
  const from = ctx.clock.now();
  if (target < from.getTime())
    throw new EmulatorError("clock_backwards", "The emulator's clock only moves forward.");
  const happened: ClockAdvance["happened"] = [];
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = dueItems(ctx, target)[0];
    if (!next) break;
    const wait = next.at - ctx.clock.now().getTime();
    if (wait > 0) ctx.clock.advance(wait);
    batchStateChanges(ctx, () => next.run());
    happened.push({ kind: next.kind, id: next.id, at: ctx.clock.now().toISOString() });
  }
  const rest = target - ctx.clock.now().getTime();
  if (rest > 0) ctx.clock.advance(rest);
  return { from: from.toISOString(), to: ctx.clock.now().toISOString(), happened };
}
