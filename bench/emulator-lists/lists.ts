/**
 * The list endpoints the paywall's sync reads at start-up and in its sweeps, at N customers
 * (default 10,000), each with the demo product's license key, its meter credits and one
 * usage events (default 10): the latency of one page (100 rows) through the emulator's HTTP handler in
 * process. Baseline, same run: one page of `GET /v1/customers/` (rows read from the
 * document store and shaped, nothing computed), and for customer meters the former
 * algorithm (every customer × meter view built, then sorted and paged), kept here only as
 * the baseline.
 * Usage: npx tsx --conditions=polar-mcp-source bench/emulator-lists/lists.ts [customers] [events each]
 */
import { loadavg } from "node:os";
import { organizationCustomerMeters } from "../../packages/emulator/src/resources/customer-meters/store.js";
import { sortBy } from "../../packages/emulator/src/http/list.js";
import { benchEmulator, fmt, medianMs } from "../emulator-usage/shared.js";

const N = Number(process.argv[2] ?? 10_000);
const EVENTS = Number(process.argv[3] ?? 10);
const { emulator, call } = benchEmulator();
const seed = emulator.seed!;
const control = async (path: string, body: unknown) => {
  const res = await emulator.fetch(
    new Request(`http://emulator${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  if (!res.ok) throw new Error(`POST ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as unknown;
};

const start = performance.now();
const customerIds: string[] = [];
for (let i = 0; i < N; i++) {
  const customer = (await call("POST", "/v1/customers/", { email: `list-${i}@example.com` })) as {
    id: string;
  };
  customerIds.push(customer.id);
  for (const benefit of [seed.benefitIds.licenseKeys, seed.benefitIds.meterCredit])
    await control("/__emulator/benefit-grants", { customer_id: customer.id, benefit_id: benefit });
}
for (let e = 0; e < EVENTS; e++)
  for (let i = 0; i < N; i += 1000)
    await call("POST", "/v1/events/ingest", {
      events: customerIds.slice(i, i + 1000).map((id, j) => ({
        name: "tool_call",
        customer_id: id,
        external_id: `list-${e}-${i + j}`,
        metadata: { tool_name: "bench" },
      })),
    });
console.log(
  `emulator lists at ${N} customers, ${EVENTS} events each (set up in ${fmt((performance.now() - start) / 1000)} s; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")})`,
);

const meterId = (seed as { meterId?: string }).meterId!;
const pages: [string, string][] = [
  ["customers (baseline)", "/v1/customers/?limit=100"],
  [
    "customer meters, -modified_at, page 1",
    `/v1/customer-meters/?meter_id=${meterId}&sorting=-modified_at&limit=100`,
  ],
  [
    "customer meters, -modified_at, middle page",
    `/v1/customer-meters/?meter_id=${meterId}&sorting=-modified_at&limit=100&page=${Math.ceil(N / 200)}`,
  ],
  [
    "customer meters, one customer",
    `/v1/customer-meters/?customer_id=${customerIds[N >> 1]}&limit=100`,
  ],
  [
    "license keys, granted, page 1",
    `/v1/license-keys/?benefit_id=${seed.benefitIds.licenseKeys}&status=granted&limit=100`,
  ],
  [
    "license keys, revoked|disabled",
    `/v1/license-keys/?benefit_id=${seed.benefitIds.licenseKeys}&status=revoked&status=disabled&limit=100`,
  ],
  ["benefit grants, -granted_at, page 1", "/v1/benefit-grants/?sorting=-granted_at&limit=100"],
  [
    "benefit grants, revoked, -revoked_at",
    "/v1/benefit-grants/?is_granted=false&sorting=-revoked_at&limit=100",
  ],
];
const rows: { page: string; ms: number; rows: number; total: number }[] = [];
for (const [page, path] of pages) {
  let result: { items: unknown[]; pagination: { total_count: number } } | undefined;
  const ms = await medianMs(5, async () => {
    result = (await call("GET", path)) as typeof result;
  });
  rows.push({ page, ms, rows: result!.items.length, total: result!.pagination.total_count });
}
const former = await medianMs(3, () => {
  const all = organizationCustomerMeters(emulator.context, seed.organizationId);
  return sortBy(all, ["-modified_at"], { modified_at: (v) => v.modified_at }).slice(0, 100);
});
const baseline = rows[0]!.ms;
console.log("| page (100 rows) | ms, median of 5 | rows | total | vs customers page |");
console.log("|---|--:|--:|--:|--:|");
for (const r of rows)
  console.log(`| ${r.page} | ${fmt(r.ms)} | ${r.rows} | ${r.total} | ×${fmt(r.ms / baseline)} |`);
console.log(
  `| customer meters, former algorithm (every view built, then sorted; no HTTP) | ${fmt(former)} | 100 | ${N} | ×${fmt(former / baseline)} |`,
);
await emulator.close();
