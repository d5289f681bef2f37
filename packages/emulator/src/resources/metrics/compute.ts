import type { EmulatorContext } from "../../context.js";
import { checkouts } from "../checkouts/store.js";
import {
  bucketOf,
  fromLocal,
  localTime,
  offsetAt,
  timeSeries,
  type TimeInterval,
} from "../meters/timezone.js";
import { orders, type OrderRecord } from "../orders/store.js";
import { products } from "../products/store.js";
import { subscriptions, type SubscriptionRecord } from "../subscriptions/store.js";
import { METRICS, type MetricDefinition } from "./definitions.js";

export interface MetricsQuery {
  organizationId: string;
  startDate: string;
  endDate: string;
  timeZone: string;
  interval: TimeInterval;
  productIds?: string[] | undefined;
  billingTypes?: string[] | undefined;
  customerIds?: string[] | undefined;
  /** Slugs to return (all when absent). */
  metrics?: string[] | undefined;
}

type Period = Record<string, number> & { timestamp?: never };

const CANCELLATION_REASONS = [
  "customer_service",
  "low_quality",
  "missing_features",
  "switched_service",
  "too_complex",
  "too_expensive",
  "unused",
  "other",
];

const ms = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : null);
const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

/** An instant as pydantic writes a zone-aware datetime: local wall time plus offset. */
function isoInZone(timeZone: string, utcMs: number): string {
  const t = localTime(timeZone, utcMs);
  const offset = Math.round(offsetAt(timeZone, utcMs) / 60_000);
  const zone =
    offset === 0
      ? "Z"
      : `${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${zone}`;
}

/** Polar's monthly amount of a subscription (year ÷ 12, week × 52 ÷ 12, day × 365 ÷ 12). */
function monthlyAmount(s: SubscriptionRecord): number {
  const count = s.recurring_interval_count || 1;
  switch (s.recurring_interval) {
    case "year":
      return Math.round(s.amount / (12 * count));
    case "month":
      return Math.round(s.amount / count);
    case "week":
      return Math.round((s.amount * 52) / (12 * count));
    case "day":
      return Math.round((s.amount * 365) / (12 * count));
    default:
      return 0;
  }
}

const endOf = (s: SubscriptionRecord) => ms(s.ended_at ?? s.ends_at);

/**
 * Polar's `GET /v1/metrics/` over the emulator's own orders, subscriptions and checkouts:
 * periods from `date_trunc(interval, start_date)` to the end of `end_date` in the zone
 * (`generate_series` in local wall time), each period a `date_trunc` bucket. Subscription
 * metrics follow Polar's active-subscription join (started by the bucket, not ended by
 * it; trialing ones count as trial MRR until their trial ends inside the bucket); order
 * metrics count paid orders by billing reason, revenue being the net amount (after
 * discounts, before tax) and net revenue that less refunds (the emulator charges no fees).
 * Costs, seats and event-based users are 0: the emulator has no cost events or seats.
 */
export function computeMetrics(ctx: EmulatorContext, query: MetricsQuery) {
  const { timeZone: tz, interval } = query;
  const [sy, sm, sd] = query.startDate.split("-").map(Number) as [number, number, number];
  const [ey, em, ed] = query.endDate.split("-").map(Number) as [number, number, number];
  const boundsStart = fromLocal(tz, {
    year: sy,
    month: sm,
    day: sd,
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
  });
  const boundsEnd = fromLocal(tz, {
    year: ey,
    month: em,
    day: ed,
    hour: 23,
    minute: 59,
    second: 59,
    millisecond: 999,
  });
  let first = { year: sy, month: sm, day: sd, hour: 0, minute: 0, second: 0, millisecond: 0 };
  if (interval === "week") {
    const weekday = (new Date(Date.UTC(sy, sm - 1, sd)).getUTCDay() + 6) % 7;
    first = { ...first, day: sd - weekday };
  } else if (interval === "month") first = { ...first, day: 1 };
  else if (interval === "year") first = { ...first, month: 1, day: 1 };
  const points = timeSeries(tz, fromLocal(tz, first), boundsEnd, interval);

  const productFilter = query.productIds ? new Set(query.productIds) : undefined;
  const customerFilter = query.customerIds ? new Set(query.customerIds) : undefined;
  const recurringOf = new Map(
    products(ctx)
      .byOrganization(query.organizationId)
      .map((p) => [p.id, p.is_recurring]),
  );
  const admits = (productId: string | null, customerId: string, recurring: boolean | undefined) => {
    if (productFilter && (!productId || !productFilter.has(productId))) return false;
    if (customerFilter && !customerFilter.has(customerId)) return false;
    if (query.billingTypes) {
      const type = recurring ? "recurring" : "one_time";
      if (!query.billingTypes.includes(type)) return false;
    }
    return true;
  };

  const subs = subscriptions(ctx)
    .byOrganization(query.organizationId)
    .filter((s) => admits(s.product_id, s.customer_id, true))
    .filter(
      (s) => (ms(s.started_at) ?? -Infinity) <= boundsEnd && (endOf(s) ?? Infinity) >= boundsStart,
    );
  const paid = orders(ctx)
    .byOrganization(query.organizationId)
    .filter(
      (o: OrderRecord) =>
        o.paid &&
        admits(
          o.product_id,
          o.customer_id,
          o.product_id ? recurringOf.get(o.product_id) : o.subscription_id !== null,
        ),
    )
    .filter((o) => {
      const at = ms(o.created_at)!;
      return at >= boundsStart && at <= boundsEnd;
    });
  const sessions = checkouts(ctx)
    .byOrganization(query.organizationId)
    .filter((c) => {
      const at = ms(c.created_at)!;
      if (at < boundsStart || at > boundsEnd) return false;
      if (customerFilter && (!c.customer_id || !customerFilter.has(c.customer_id))) return false;
      return !productFilter || productFilter.has(c.product_id);
    });

  // Each period's [start, end) bucket, worked out once; records are placed by binary search
  // and each subscription's start and end buckets are computed once (Intl is the cost here).
  const buckets = points.map((point) => bucketOf(tz, point, interval));
  const values: Record<string, number>[] = buckets.map(() =>
    Object.fromEntries(METRICS.map((m) => [m.slug, 0])),
  );
  const periodOf = (at: number): number => {
    let lo = 0;
    let hi = buckets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [from, to] = buckets[mid]!;
      if (at < from) hi = mid - 1;
      else if (at >= to) lo = mid + 1;
      else return mid;
    }
    return -1;
  };
  const customersByPeriod = buckets.map(() => new Set<string>());
  for (const s of subs) {
    const started = ms(s.started_at);
    const ended = endOf(s);
    const startedBucket = started === null ? -Infinity : bucketOf(tz, started, interval)[0];
    const endedBucket = ended === null ? Infinity : bucketOf(tz, ended, interval)[0];
    const trialEnd = ms(s.trial_end);
    const monthly = monthlyAmount(s);
    buckets.forEach(([from, to], i) => {
      if (startedBucket > from || endedBucket <= from) return;
      const v = values[i]!;
      const inTrial = trialEnd !== null && trialEnd >= to;
      v.active_subscriptions! += 1;
      customersByPeriod[i]!.add(s.customer_id);
      if (ended === null) v.committed_subscriptions! += 1;
      if (inTrial) {
        v.trial_monthly_recurring_revenue! += monthly;
        if (ended === null) v.trial_committed_monthly_recurring_revenue! += monthly;
      } else {
        v.monthly_recurring_revenue! += monthly;
        if (ended === null) v.committed_monthly_recurring_revenue! += monthly;
      }
    });
    if (ended !== null) {
      const i = periodOf(ended);
      if (i >= 0) values[i]!.churned_subscriptions! += 1;
    }
    const canceled = ms(s.canceled_at);
    if (canceled !== null) {
      const i = periodOf(canceled);
      if (i >= 0) {
        const v = values[i]!;
        v.canceled_subscriptions! += 1;
        const reason = s.customer_cancellation_reason ?? "other";
        v[`canceled_subscriptions_${CANCELLATION_REASONS.includes(reason) ? reason : "other"}`]! +=
          1;
      }
    }
  }
  for (const c of sessions) {
    const i = periodOf(ms(c.created_at)!);
    if (i < 0) continue;
    values[i]!.checkouts! += 1;
    if (c.status === "succeeded") values[i]!.succeeded_checkouts! += 1;
  }
  for (const o of paid) {
    const i = periodOf(ms(o.created_at)!);
    if (i < 0) continue;
    const v = values[i]!;
    const revenue = o.net_amount;
    const net = o.net_amount - Math.min(o.net_amount, o.refunded_amount);
    v.orders! += 1;
    v.revenue! += revenue;
    v.net_revenue! += net;
    const kind =
      o.billing_reason === "purchase"
        ? "one_time_products"
        : o.billing_reason === "subscription_create"
          ? "new_subscriptions"
          : o.billing_reason === "subscription_cycle"
            ? "renewed_subscriptions"
            : undefined;
    if (kind) {
      v[kind]! += 1;
      v[`${kind}_revenue`]! += revenue;
      v[`${kind}_net_revenue`]! += net;
    }
  }

  let cumulativeRevenue = 0;
  let cumulativeNet = 0;
  const periods: { timestamp: string; values: Period }[] = [];
  points.forEach((point, i) => {
    const v = values[i]!;
    const customers = customersByPeriod[i]!;
    v.average_revenue_per_user =
      customers.size === 0 ? 0 : Math.round(v.monthly_recurring_revenue! / customers.size);
    const atStart = v.active_subscriptions! + v.churned_subscriptions!;
    v.churn_rate = atStart === 0 ? 0 : v.churned_subscriptions! / atStart;
    cumulativeRevenue += v.revenue!;
    cumulativeNet += v.net_revenue!;
    v.cumulative_revenue = cumulativeRevenue;
    v.net_cumulative_revenue = cumulativeNet;
    v.average_order_value = v.orders === 0 ? 0 : v.revenue! / v.orders!;
    v.net_average_order_value = v.orders === 0 ? 0 : v.net_revenue! / v.orders!;
    // Post-computed metrics (METRICS_POST_COMPUTE).
    v.annual_recurring_revenue = v.monthly_recurring_revenue! * 12;
    v.committed_annual_recurring_revenue = v.committed_monthly_recurring_revenue! * 12;
    v.checkouts_conversion = v.checkouts === 0 ? 0 : v.succeeded_checkouts! / v.checkouts!;
    v.ltv =
      v.churn_rate === 0
        ? 0
        : Math.max(0, Math.trunc((v.average_revenue_per_user - v.cost_per_user!) / v.churn_rate));
    v.gross_margin = v.cumulative_revenue - v.cumulative_costs!;
    v.gross_margin_percentage =
      v.cumulative_revenue > 0
        ? (v.cumulative_revenue - v.cumulative_costs!) / v.cumulative_revenue
        : 0;
    v.cashflow = v.revenue! - v.costs!;
    periods.push({ timestamp: isoInZone(tz, point), values: v as Period });
  });

  const selected: MetricDefinition[] = query.metrics
    ? METRICS.filter((m) => query.metrics!.includes(m.slug))
    : METRICS;
  const sum = (slug: string) => periods.reduce((total, p) => total + (p.values[slug] ?? 0), 0);
  const totals: Record<string, number> = {};
  for (const m of selected) {
    if (m.slug === "average_order_value")
      totals[m.slug] = sum("orders") === 0 ? 0 : sum("revenue") / sum("orders");
    else if (m.slug === "net_average_order_value")
      totals[m.slug] = sum("orders") === 0 ? 0 : sum("net_revenue") / sum("orders");
    else if (m.slug === "checkouts_conversion")
      totals[m.slug] = sum("checkouts") === 0 ? 0 : sum("succeeded_checkouts") / sum("checkouts");
    else if (m.cumulative === "sum") totals[m.slug] = sum(m.slug);
    else totals[m.slug] = periods.at(-1)?.values[m.slug] ?? 0;
  }
  return {
    periods: periods.map((p) => ({
      timestamp: p.timestamp,
      ...Object.fromEntries(selected.map((m) => [m.slug, p.values[m.slug] ?? 0])),
    })),
    totals,
    metrics: Object.fromEntries(
      selected.map((m) => [m.slug, { slug: m.slug, display_name: m.display_name, type: m.type }]),
    ),
    selected,
  };
}
