// Added latency per paid call, Polar requests per 1,000 paid calls and paid calls per
// second: the original plugin's algorithm (4 sequential requests per call) against
// @polar-mcp/paywall's background delivery, in one run, the emulator in its own process
// 50 ms away. Usage: npx tsx --conditions=polar-mcp-source bench/paywall/paid-calls.ts [calls]
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PolarProvider } from "../../packages/paywall/src/index.js";
import { originalPaidCall } from "./original-plugin.js";
import { fmt, percentile, polarCall, spawnEmulator } from "./shared.js";

const LATENCY_MS = Number(process.env.LATENCY_MS ?? 50);
const CALLS = Number(process.argv[2] ?? 20_000);
const BASELINE_CALLS = Number(process.env.BASELINE_CALLS ?? 50);
const THROUGHPUT_CALLS = Number(process.env.THROUGHPUT_CALLS ?? 100_000);
const EVENT = { name: "tool_call", metadata: { tool_name: "bench" } };

const { url, seed, child } = await spawnEmulator(LATENCY_MS);
try {
  // Enough credits for every call of the run: one more meter_credit grant on the demo meter.
  const call = <T>(method: string, path: string, body?: unknown) =>
    polarCall<T>(url, seed.accessToken, method, path, body);
  const big = await call<{ id: string }>("POST", "/v1/benefits/", {
    type: "meter_credit",
    description: "bench credits",
    properties: { meter_id: seed.meterId, units: 10_000_000, rollover: false },
  });
  await call("POST", "/__emulator/benefit-grants", {
    customer_id: seed.customerId,
    benefit_id: big.id,
  });

  // Baseline: the original plugin, sequential calls.
  const baseline: number[] = [];
  for (let i = 0; i < BASELINE_CALLS; i++) {
    const start = performance.now();
    if (!(await originalPaidCall(url, seed, EVENT))) throw new Error("baseline call denied");
    baseline.push(performance.now() - start);
  }
  baseline.sort((a, b) => a - b);

  // Ours: count every request that reaches Polar.
  let requests = 0;
  const outbox = join(tmpdir(), `paywall-bench-${process.pid}.sqlite`);
  const polar = PolarProvider.getInstance({
    token: seed.accessToken,
    organizationId: seed.organizationId,
    productId: seed.productId,
    baseUrl: url,
    outbox,
    fetch: (input, init) => {
      requests += 1;
      return fetch(input, init);
    },
  });
  const paid = async () => {
    const authorization = await polar.authorize(seed.licenseKey, EVENT);
    if (!authorization.valid) throw new Error(`denied: ${authorization.message}`);
    await authorization.commit();
  };
  const coldStart = performance.now();
  await paid();
  const cold = performance.now() - coldStart;

  const added: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = process.hrtime.bigint();
    await paid();
    added.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  added.sort((a, b) => a - b);
  await polar.flush(60_000);
  const perThousand = (requests / (CALLS + 1)) * 1000;

  const concurrency = 256;
  const tStart = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (done < THROUGHPUT_CALLS) {
        done += 1;
        await paid();
      }
    }),
  );
  const seconds = (performance.now() - tStart) / 1000;
  const throughput = THROUGHPUT_CALLS / seconds;
  await polar.flush(60_000);
  const events = await call<{ pagination: { total_count: number } }>(
    "GET",
    `/v1/events/?customer_id=${seed.customerId}&name=tool_call&limit=1`,
  );
  await polar.close();
  rmSync(outbox, { force: true });
  for (const suffix of ["-wal", "-shm"]) rmSync(outbox + suffix, { force: true });

  const b50 = percentile(baseline, 50);
  const b99 = percentile(baseline, 99);
  const o50 = percentile(added, 50);
  const o99 = percentile(added, 99);
  const rows = [
    ["", "original plugin", "@polar-mcp/paywall", "ratio"],
    ["added latency p50 (ms)", fmt(b50), fmt(o50), `${fmt(b50 / o50, 0)}×`],
    ["added latency p99 (ms)", fmt(b99), fmt(o99), `${fmt(b99 / o99, 0)}×`],
    ["Polar requests / 1,000 calls", "4000", fmt(perThousand, 1), `${fmt(4000 / perThousand, 0)}×`],
    [
      "paid calls / s (one process)",
      fmt(1000 / (b50 || 1), 1),
      fmt(throughput, 0),
      `${fmt(throughput / (1000 / b50), 0)}×`,
    ],
  ];
  process.stdout.write(
    `Polar emulator ${LATENCY_MS} ms away (own process); baseline ${BASELINE_CALLS} sequential calls; ours ${CALLS} sequential calls (after one cold call of ${fmt(cold, 1)} ms), then ${THROUGHPUT_CALLS} calls at concurrency ${concurrency}.\n`,
  );
  for (const row of rows)
    process.stdout.write(
      `${row[0]!.padEnd(30)}${row[1]!.padStart(17)}${row[2]!.padStart(20)}${row[3]!.padStart(10)}\n`,
    );
  process.stdout.write(
    `events in Polar after flush: ${events.pagination.total_count} (expected ${BASELINE_CALLS + CALLS + 1 + THROUGHPUT_CALLS})\n`,
  );
} finally {
  child.kill("SIGTERM");
}
