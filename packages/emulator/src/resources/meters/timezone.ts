/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl, to reproduce what
 * PostgreSQL does for Polar's quantities with the session time zone set: `generate_series`
 * adds days, weeks, months and years in local wall time (so a day bucket can last 23 or 25
 * hours across a DST change), hours in absolute time, and `date_trunc` cuts in local time.
 */

export type TimeInterval = "hour" | "day" | "week" | "month" | "year";

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = FORMATTERS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    FORMATTERS.set(timeZone, format);
  }
  return format;
}

/** The local wall time of an instant in a zone. */
export function localTime(timeZone: string, utcMs: number): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    millisecond: ((utcMs % 1000) + 1000) % 1000,
  };
}

const wallAsUtc = (t: LocalTime): number =>
  Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond);

/** The zone's offset from UTC at an instant, in milliseconds. */
export const offsetAt = (timeZone: string, utcMs: number): number =>
  wallAsUtc(localTime(timeZone, utcMs)) - utcMs;

/** The instant a local wall time names (fields may overflow: day 32 is next month's 1st). */
export function fromLocal(timeZone: string, t: LocalTime): number {
  const wall = wallAsUtc(t);
  const first = wall - offsetAt(timeZone, wall);
  const second = wall - offsetAt(timeZone, first);
  const valid = [first, second].filter((c) => c + offsetAt(timeZone, c) === wall);
  // Ambiguous (clocks go back): the earlier instant. Skipped (clocks go forward): the later
  // candidate, which reads the wall time with the offset in force before the change.
  return valid.length > 0 ? Math.min(...valid) : Math.max(first, second);
}

const daysInMonth = (year: number, month: number) =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * `generate_series(start, end, '1 <interval>')` in the zone: hour steps are absolute,
 * longer steps keep the wall-clock time, months clamp to the month's last day and carry on
 * from there (Jan 31 → Feb 29 → Mar 29), as PostgreSQL does.
 */
export function timeSeries(
  timeZone: string,
  startMs: number,
  endMs: number,
  interval: TimeInterval,
): number[] {
  const points: number[] = [];
  if (interval === "hour") {
    for (let t = startMs; t <= endMs; t += 3_600_000) points.push(t);
    return points;
  }
  const local = localTime(timeZone, startMs);
  for (let t = startMs; t <= endMs;) {
    points.push(t);
    if (interval === "day") local.day += 1;
    else if (interval === "week") local.day += 7;
    else {
      if (interval === "month") local.month += 1;
      else local.year += 1;
      if (local.month > 12) {
        local.year += Math.floor((local.month - 1) / 12);
        local.month = ((local.month - 1) % 12) + 1;
      }
      local.day = Math.min(local.day, daysInMonth(local.year, local.month));
    }
    if (interval !== "month" && interval !== "year") {
      const normalized = new Date(Date.UTC(local.year, local.month - 1, local.day));
      local.year = normalized.getUTCFullYear();
      local.month = normalized.getUTCMonth() + 1;
      local.day = normalized.getUTCDate();
    }
    t = fromLocal(timeZone, local);
  }
  return points;
}

/** `[start, end)` of the `date_trunc(interval, point)` bucket in the zone, as instants. */
export function bucketOf(
  timeZone: string,
  pointMs: number,
  interval: TimeInterval,
): [number, number] {
  if (interval === "hour") {
    const local = pointMs + offsetAt(timeZone, pointMs);
    const start = pointMs - (((local % 3_600_000) + 3_600_000) % 3_600_000);
    return [start, start + 3_600_000];
  }
  const t = localTime(timeZone, pointMs);
  const midnight = { ...t, hour: 0, minute: 0, second: 0, millisecond: 0 };
  switch (interval) {
    case "day":
      return [fromLocal(timeZone, midnight), fromLocal(timeZone, { ...midnight, day: t.day + 1 })];
    case "week": {
      const weekday = (new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay() + 6) % 7;
      const monday = { ...midnight, day: t.day - weekday };
      return [fromLocal(timeZone, monday), fromLocal(timeZone, { ...monday, day: monday.day + 7 })];
    }
    case "month":
      return [
        fromLocal(timeZone, { ...midnight, day: 1 }),
        fromLocal(timeZone, { ...midnight, day: 1, month: t.month + 1 }),
      ];
    case "year":
      return [
        fromLocal(timeZone, { ...midnight, day: 1, month: 1 }),
        fromLocal(timeZone, { ...midnight, day: 1, month: 1, year: t.year + 1 }),
      ];
  }
}
