/**
 * GET /v1/metrics/ over the emulator's own commerce data: N buyers each subscribe to the
 * demo monthly plan through a real checkout (paid with the test card), then the clock runs
 * a year so every subscription renews 12 times (N × 13 orders). Timed in process through
 * the full HTTP handler: a year by day (366 periods, every metric) and by month. Baseline,
 * same run and data: GET /v1/orders/?limit=100 (one page of the same orders).
 * Usage: npx tsx bench/emulator-metrics/metrics.ts [buyers]
 */
import { advanceClock } from "../../packages/emulator/src/index.js";
import { benchEmulator, medianMs } from "../emulator-usage/shared.js";

const BUYERS = Number(process.argv[2] ?? 200);
const RUNS = 15;

const { emulator, call } = benchEmulator();
const seed = emulator.seed!;
const start = emulator.clock.now();
for (let i = 0; i < BUYERS; i++) {
  const checkout = (await call("POST", "/v1/checkouts/", {
    products: [seed.productId],
    customer_email: `buyer-${i}@example.com`,
  })) as { client_secret: string };
  await call("POST", `/v1/checkouts/client/${checkout.client_secret}/confirm`, {
    confirmation_token_id: "tok_visa",
  });
}
advanceClock(emulator, { months: 12 });
const day = (d: Date) => d.toISOString().slice(0, 10);
const from = day(start);
const to = day(new Date(start.getTime() + 365 * 86_400_000));

const byDay = `/v1/metrics/?start_date=${from}&end_date=${to}&interval=day`;
const byMonth = `/v1/metrics/?start_date=${from}&end_date=${to}&interval=month`;
const check = (await call("GET", byMonth)) as { totals: { orders: number; revenue: number } };
await call("GET", byDay); // warm up
await call("GET", "/v1/orders/?limit=100");

const dayMs = await medianMs(RUNS, () => call("GET", byDay));
const monthMs = await medianMs(RUNS, () => call("GET", byMonth));
const listMs = await medianMs(RUNS, () => call("GET", "/v1/orders/?limit=100"));

console.log(
  `buyers ${BUYERS}, orders in range ${check.totals.orders}, revenue ${check.totals.revenue}`,
);
console.log(`                                      median ms`);
console.log(`metrics, 1 year by day (366 periods)   ${dayMs.toFixed(1)}`);
console.log(`metrics, 1 year by month (13 periods)  ${monthMs.toFixed(1)}`);
console.log(`baseline: orders list, one page of 100 ${listMs.toFixed(1)}`);
await emulator.close();
