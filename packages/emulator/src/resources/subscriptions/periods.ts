/** Polar's recurring intervals (and trial intervals). */
export type Interval = "day" | "week" | "month" | "year";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `date + count × interval` in UTC, months and years as calendar units clamped to the
 * month's last day (Polar's relativedelta: Jan 31 + 1 month = Feb 28, not Mar 3).
 */
export function addInterval(date: Date, interval: Interval, count = 1): Date {
  if (interval === "day") return new Date(date.getTime() + count * DAY_MS);
  if (interval === "week") return new Date(date.getTime() + 7 * count * DAY_MS);
  const months = interval === "month" ? count : 12 * count;
  const target = new Date(date);
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}
