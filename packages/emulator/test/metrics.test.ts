import { describe, expect, it } from "vitest";
import { advanceClock } from "../src/index.js";
import { demoEmulator } from "./helpers.js";

const day = (date: Date) => date.toISOString().slice(0, 10);
const localDay = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(iso));

describe("metrics computed from the emulator's own orders, subscriptions and checkouts", () => {
  it("counts the demo plan's purchase, two renewals and a cancellation month by month", async () => {
    const { emulator, seed, call } = demoEmulator();
    const start = emulator.clock.now();
    advanceClock(emulator, { months: 2 });
    const subscription = (await call("GET", `/v1/subscriptions/?customer_id=${seed.customerId}`))
      .body.items[0];
    const canceled = await call("PATCH", `/v1/subscriptions/${subscription.id}`, {
      body: { cancel_at_period_end: true, customer_cancellation_reason: "too_expensive" },
    });
    expect(canceled.status).toBe(200);
    advanceClock(emulator, { months: 1, days: 1 });
    const end = emulator.clock.now();

    const res = await call(
      "GET",
      `/v1/metrics/?start_date=${day(start)}&end_date=${day(end)}&interval=month`,
    );
    expect(res.status).toBe(200);
    const { periods, totals, metrics } = res.body;
    expect(metrics.monthly_recurring_revenue).toEqual({
      slug: "monthly_recurring_revenue",
      display_name: "Monthly Recurring Revenue",
      type: "currency",
    });
    expect(totals).toMatchObject({
      orders: 3,
      revenue: 2700,
      net_revenue: 2700,
      cumulative_revenue: 2700,
      new_subscriptions: 1,
      new_subscriptions_revenue: 900,
      renewed_subscriptions: 2,
      renewed_subscriptions_revenue: 1800,
      checkouts: 1,
      succeeded_checkouts: 1,
      checkouts_conversion: 1,
      canceled_subscriptions: 1,
      canceled_subscriptions_too_expensive: 1,
      churned_subscriptions: 1,
      average_order_value: 900,
    });
    // Active (and paying 900 a month) until the month it ended; nothing after.
    const months = periods.map((p: Record<string, number>) => [
      p.active_subscriptions,
      p.monthly_recurring_revenue,
    ]);
    expect(months[0]).toEqual([1, 900]);
    expect(months.at(-1)).toEqual([0, 0]);
    expect(periods[0].annual_recurring_revenue).toBe(900 * 12);
    // The month it was canceled: still active, but no longer committed.
    const cancelMonth = periods.find((p: Record<string, number>) => p.canceled_subscriptions === 1);
    expect(cancelMonth).toMatchObject({
      active_subscriptions: 1,
      committed_subscriptions: 0,
      committed_monthly_recurring_revenue: 0,
    });
    await emulator.close();
  });

  it("buckets by day in the requested time zone, with offsets on the timestamps, and filters", async () => {
    const { emulator, seed, call } = demoEmulator();
    const order = (await call("GET", "/v1/orders/")).body.items[0];
    const today = day(emulator.clock.now());
    const from = day(new Date(emulator.clock.now().getTime() - 2 * 86_400_000));
    const to = day(new Date(emulator.clock.now().getTime() + 2 * 86_400_000));
    const tokyo = await call(
      "GET",
      `/v1/metrics/?start_date=${from}&end_date=${to}&interval=day&timezone=Asia/Tokyo&metrics=orders&metrics=revenue`,
    );
    expect(tokyo.status).toBe(200);
    expect(Object.keys(tokyo.body.totals).sort()).toEqual(["orders", "revenue"]);
    expect(tokyo.body.periods[0].timestamp).toMatch(/T00:00:00\+09:00$/);
    const withOrder = tokyo.body.periods.filter((p: { orders: number }) => p.orders > 0);
    expect(withOrder).toHaveLength(1);
    expect(withOrder[0].timestamp.slice(0, 10)).toBe(localDay(order.created_at, "Asia/Tokyo"));

    const otherProduct = await call(
      "GET",
      `/v1/metrics/?start_date=${today}&end_date=${today}&interval=day&product_id=${seed.creditsProductId}`,
    );
    expect(otherProduct.body.totals.orders).toBe(0);
    const oneTime = await call(
      "GET",
      `/v1/metrics/?start_date=${today}&end_date=${today}&interval=day&billing_type=one_time`,
    );
    expect(oneTime.body.totals).toMatchObject({ orders: 0, active_subscriptions: 0 });

    const bad = await call(
      "GET",
      `/v1/metrics/?start_date=${today}&end_date=${today}&interval=day&metrics=nope`,
    );
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].msg).toBe("Invalid metric slugs: nope");
    const tooLong = await call(
      "GET",
      `/v1/metrics/?start_date=2024-01-01&end_date=2024-03-01&interval=hour`,
    );
    expect(tooLong.status).toBe(422);
    const csv = await emulator.fetch(
      new Request(
        `http://emulator/v1/metrics/export?start_date=${today}&end_date=${today}&interval=day&metrics=orders`,
        {
          headers: { authorization: `Bearer ${seed.accessToken}` },
        },
      ),
    );
    expect((await csv.text()).split("\r\n")[0]).toBe("timestamp,orders");
    await emulator.close();
  });

  it("keeps dashboards per organization", async () => {
    const { emulator, call } = demoEmulator();
    const created = await call("POST", "/v1/metrics/dashboards", {
      body: { name: "Revenue", metrics: ["revenue", "orders"] },
    });
    expect(created.status).toBe(201);
    const updated = await call("PATCH", `/v1/metrics/dashboards/${created.body.id}`, {
      body: { name: "Money" },
    });
    expect(updated.body).toMatchObject({ name: "Money", metrics: ["revenue", "orders"] });
    expect((await call("GET", "/v1/metrics/dashboards")).body).toHaveLength(1);
    const invalidSlug = await call("POST", "/v1/metrics/dashboards", {
      body: { name: "x", metrics: ["nope"] },
    });
    expect(invalidSlug.status).toBe(422);
    expect((await call("DELETE", `/v1/metrics/dashboards/${created.body.id}`)).status).toBe(204);
    expect((await call("GET", `/v1/metrics/dashboards/${created.body.id}`)).status).toBe(404);
    await emulator.close();
  });
});
