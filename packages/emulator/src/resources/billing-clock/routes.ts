import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { invalid } from "../../http/errors.js";
import { readControlBody } from "../../control/body.js";
import { addInterval, type Interval } from "../subscriptions/periods.js";
import { advanceClockTo } from "./advance.js";

const UNITS: Record<string, number> = { ms: 1, seconds: 1_000, minutes: 60_000, hours: 3_600_000 };

/**
 * The target of an advance: `{ to: ISO }`, or an amount of `ms`, `seconds`, `minutes`,
 * `hours`, or calendar `days`, `weeks`, `months`, `years` (months as Polar counts them).
 */
export function targetOf(now: Date, body: Record<string, unknown>): number {
  if (typeof body.to === "string") {
    const to = Date.parse(body.to);
    if (Number.isNaN(to))
      throw invalid(["body", "to"], "Input should be a valid datetime", body.to);
    return to;
  }
  let target = now;
  let given = false;
  for (const [unit, value] of Object.entries(body)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
      throw invalid(["body", unit], "Input should be a number >= 0", value);
    given = true;
    if (UNITS[unit]) target = new Date(target.getTime() + value * UNITS[unit]);
    else if (["days", "weeks", "months", "years"].includes(unit))
      target = addInterval(target, unit.slice(0, -1) as Interval, value);
    else
      throw invalid(
        ["body", unit],
        "Unknown unit: use ms, seconds, minutes, hours, days, weeks, months, years or to",
        value,
      );
  }
  if (!given) throw invalid(["body"], 'Say how far to advance, e.g. { "days": 30 }.', body);
  return target.getTime();
}

export function registerClockRoutes(app: Hono, ctx: EmulatorContext): void {
  app.get("/__emulator/clock", (c) =>
    c.json({ now: ctx.clock.now().toISOString(), offset_ms: ctx.clock.offset() }),
  );
  app.post("/__emulator/clock/advance", async (c) => {
    const body = await readControlBody(c.req.raw);
    return c.json(advanceClockTo(ctx, targetOf(ctx.clock.now(), body)));
  });
}
