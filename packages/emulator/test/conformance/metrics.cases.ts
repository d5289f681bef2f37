import { RFCDate } from "polar-sdk-strict/types/rfcdate.js";
import { expect } from "vitest";
import type { Conformance, ConformanceCase } from "./harness.js";

type Side = (h: Conformance) => Promise<void>;
const both = (operationId: string, latest: Side, strict: Side): ConformanceCase => ({
  operationId,
  latest,
  strict,
});

const today = () => new Date().toISOString().slice(0, 10);
const monthAgo = () => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

const dashboard = (h: Conformance, name = "Revenue") =>
  h.latest.metrics.createDashboard({ name, metrics: ["revenue", "orders"] });

export const cases: ConformanceCase[] = [
  both(
    "metrics:get",
    async (h) => {
      const res = await h.latest.metrics.get({
        start_date: monthAgo(),
        end_date: today(),
        interval: "day",
      });
      // The demo seed bought the monthly plan: one order of 900, one active subscription.
      expect(res.totals.orders).toBeGreaterThanOrEqual(1);
      expect(res.periods.at(-1)?.active_subscriptions).toBeGreaterThanOrEqual(1);
    },
    async (h) => {
      const res = await h.strict.metrics.get({
        startDate: new RFCDate(monthAgo()),
        endDate: new RFCDate(today()),
        interval: "week",
        timezone: "Europe/Paris",
        metrics: ["monthly_recurring_revenue"],
      });
      expect(res.totals.monthlyRecurringRevenue).toBeGreaterThanOrEqual(900);
    },
  ),
  both(
    "metrics:export",
    async (h) => {
      const csv = await h.latest.metrics.export({
        start_date: today(),
        end_date: today(),
        interval: "day",
        metrics: ["orders"],
      });
      expect(csv.split("\r\n")[0]).toBe("timestamp,orders");
    },
    async (h) => {
      const csv = await h.strict.metrics.export({
        startDate: new RFCDate(today()),
        endDate: new RFCDate(today()),
        interval: "day",
      });
      expect(csv).toContain("monthly_recurring_revenue");
    },
  ),
  both(
    "metrics:limits",
    async (h) => {
      expect((await h.latest.metrics.limits()).intervals.hour.max_days).toBe(7);
    },
    async (h) => {
      expect((await h.strict.metrics.limits()).intervals.year.minDays).toBe(366);
    },
  ),
  both(
    "metrics:list_dashboards",
    async (h) => {
      const created = await dashboard(h);
      expect((await h.latest.metrics.listDashboards()).map((d) => d.id)).toContain(created.id);
    },
    async (h) => {
      const created = await dashboard(h);
      expect((await h.strict.metrics.listDashboards({})).map((d) => d.id)).toContain(created.id);
    },
  ),
  both(
    "metrics:create_dashboard",
    async (h) => {
      expect((await dashboard(h, "Latest")).metrics).toEqual(["revenue", "orders"]);
    },
    async (h) => {
      const created = await h.strict.metrics.createDashboard({
        name: "Strict",
        metrics: ["orders"],
      });
      expect(created.organizationId).toBe(h.seed.organizationId);
    },
  ),
  both(
    "metrics:get_dashboard",
    async (h) => {
      const created = await dashboard(h);
      expect((await h.latest.metrics.getDashboard(created.id)).name).toBe("Revenue");
    },
    async (h) => {
      const created = await dashboard(h);
      expect((await h.strict.metrics.getDashboard({ id: created.id })).name).toBe("Revenue");
    },
  ),
  both(
    "metrics:update_dashboard",
    async (h) => {
      const created = await dashboard(h);
      expect((await h.latest.metrics.updateDashboard(created.id, { name: "Money" })).name).toBe(
        "Money",
      );
    },
    async (h) => {
      const created = await dashboard(h);
      const updated = await h.strict.metrics.updateDashboard({
        id: created.id,
        metricDashboardUpdate: { metrics: ["net_revenue"] },
      });
      expect(updated.metrics).toEqual(["net_revenue"]);
    },
  ),
  both(
    "metrics:delete_dashboard",
    async (h) => {
      const created = await dashboard(h);
      await h.latest.metrics.deleteDashboard(created.id);
    },
    async (h) => {
      const created = await dashboard(h);
      await h.strict.metrics.deleteDashboard({ id: created.id });
    },
  ),
];
