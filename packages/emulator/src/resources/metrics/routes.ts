import type { EmulatorContext } from "../../context.js";
import { invalid, notFound, validationError } from "../../http/errors.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import type { Collection } from "../../store/collection.js";
import type { TimeInterval } from "../meters/timezone.js";
import { organizationFilterAdmits, organizationForCreate, organizationOf } from "../scope.js";
import { computeMetrics, type MetricsQuery } from "./compute.js";
import { METRIC_SLUGS } from "./definitions.js";

/** Polar's kit/time_queries.py limits. */
const MIN_DATE = "2023-01-01";
const MAX_INTERVAL_DAYS: Record<TimeInterval, number> = {
  hour: 7,
  day: 366,
  week: 7 * 53,
  month: 365 * 4,
  year: 365 * 10,
};
const MIN_INTERVAL_DAYS: Record<TimeInterval, number> = {
  hour: 0,
  day: 0,
  week: 14,
  month: 60,
  year: 366,
};

interface DashboardRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  name: string;
  metrics: string[];
}

const dashboards = (ctx: EmulatorContext): Collection<DashboardRecord> =>
  ctx.store.collection<DashboardRecord>("metric_dashboards");

const list = (value: unknown): string[] | undefined =>
  value === undefined || value === null
    ? undefined
    : Array.isArray(value)
      ? value.map(String)
      : [String(value)];

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** The query of `metrics:get` / `metrics:export`, checked as Polar's endpoint checks it. */
function metricsQuery(req: OperationRequest): MetricsQuery {
  const q = req.query;
  const organizationId = organizationOf(req.principal);
  if (!organizationFilterAdmits(q.organization_id, organizationId)) {
    throw invalid(["query", "organization_id"], "Organization not found.", q.organization_id);
  }
  const metrics = list(q.metrics);
  const unknown = metrics?.filter((m) => !METRIC_SLUGS.has(m)).sort();
  if (metrics && unknown && unknown.length > 0) {
    throw invalid(["query", "metrics"], `Invalid metric slugs: ${unknown.join(", ")}`, metrics);
  }
  const interval = q.interval as TimeInterval;
  const startDate = String(q.start_date);
  const endDate = String(q.end_date);
  if (
    startDate > endDate ||
    dayNumber(endDate) - dayNumber(startDate) > MAX_INTERVAL_DAYS[interval]
  ) {
    throw validationError([
      {
        type: "value_error",
        loc: ["query"],
        msg: "The interval is too small for the given date range. Use a larger interval or reduce the date range.",
        input: [startDate, endDate, interval],
      },
    ]);
  }
  return {
    organizationId,
    startDate,
    endDate,
    timeZone: typeof q.timezone === "string" ? q.timezone : "UTC",
    interval,
    productIds: list(q.product_id),
    billingTypes: list(q.billing_type),
    customerIds: list(q.customer_id),
    metrics,
  };
}

const cell = (value: unknown) => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

function visibleDashboard(req: OperationRequest, ctx: EmulatorContext): DashboardRecord {
  const record = dashboards(ctx).get(req.path.id ?? "");
  if (!record || record.organization_id !== organizationOf(req.principal)) throw notFound();
  return record;
}

function checkSlugs(metrics: string[] | undefined): void {
  const unknown = (metrics ?? []).filter((m) => !METRIC_SLUGS.has(m));
  if (unknown.length > 0)
    throw invalid(
      ["body", "metrics"],
      `Invalid metric slugs: ${unknown.sort().join(", ")}`,
      metrics,
    );
}

export const metricsHandlers: OperationHandlers = {
  "metrics:get": (req, ctx) => {
    const { periods, totals, metrics } = computeMetrics(ctx, metricsQuery(req));
    return { periods, totals, metrics };
  },
  // A CSV of the periods: one column per metric, as Polar's export.
  "metrics:export": (req, ctx) => {
    const { periods, selected } = computeMetrics(ctx, metricsQuery(req));
    const header = ["timestamp", ...selected.map((m) => m.slug)];
    const rows = periods.map((p) => header.map((key) => (p as Record<string, unknown>)[key]));
    const csv = [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n");
    return new Response(`${csv}\r\n`, {
      headers: {
        "content-type": "text/csv",
        "content-disposition": 'attachment; filename="polar-metrics.csv"',
      },
    });
  },
  "metrics:limits": () => ({
    min_date: MIN_DATE,
    intervals: Object.fromEntries(
      (Object.keys(MAX_INTERVAL_DAYS) as TimeInterval[]).map((i) => [
        i,
        { min_days: MIN_INTERVAL_DAYS[i], max_days: MAX_INTERVAL_DAYS[i] },
      ]),
    ),
  }),
  "metrics:list_dashboards": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId)) return [];
    return dashboards(ctx).byOrganization(organizationId);
  },
  "metrics:create_dashboard": (req, ctx) => {
    const body = req.body as { name: string; metrics?: string[]; organization_id?: string | null };
    checkSlugs(body.metrics);
    return dashboards(ctx).insert({
      id: newId(),
      organization_id: organizationForCreate(req.principal, body),
      created_at: iso(ctx.clock.now()),
      modified_at: null,
      name: body.name,
      metrics: body.metrics ?? [],
    });
  },
  "metrics:get_dashboard": (req, ctx) => visibleDashboard(req, ctx),
  "metrics:update_dashboard": (req, ctx) => {
    const record = visibleDashboard(req, ctx);
    const body = req.body as { name?: string | null; metrics?: string[] | null };
    if (body.metrics) checkSlugs(body.metrics);
    return dashboards(ctx).put({
      ...record,
      ...(body.name ? { name: body.name } : {}),
      ...(body.metrics ? { metrics: body.metrics } : {}),
      modified_at: iso(ctx.clock.now()),
    });
  },
  "metrics:delete_dashboard": (req, ctx) => {
    dashboards(ctx).delete(visibleDashboard(req, ctx).id);
    return undefined;
  },
};
