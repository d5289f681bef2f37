// Issue 15's bench: Polar requests per minute in steady state against the number of active
// customers, the previous algorithm (per-customer polling) beside the new one (standings
// kept by sweeps inside a budget), against the emulator enforcing Polar's 500 requests/min.
//
//   npx tsx --conditions=polar-mcp-source bench/paywall/scale.ts            # N = 10 … 10,000
//   NS=10,300 SCALE=6 npx tsx --conditions=polar-mcp-source bench/paywall/scale.ts
//
// Time is compressed SCALE× (default 6; 12 at N = 10,000, see SCALES): every period of both
// algorithms (TTLs, sweeps, batches, budget, the circuit breaker's cool-downs) and the
// emulator's rate-limit window are divided by it, so one "minute" below lasts 60/SCALE real
// seconds and counts are per virtual minute. Each active customer makes a paid call every
// max(3 s, 3 ms × N) virtual: every 3 s up to N = 1,000, then less often so the machine's
// total stays at 333 calls per virtual second (at N = 10,000 each customer calls every 30 s).
// Each run: a fresh emulator; warm-up until every customer has had a call served (a new
// customer's first sight costs 3 requests inside the budget) and at least WARM virtual
// minutes, at most WARM_MAX (the previous algorithm: WARM_MAX_PREVIOUS, as it never gets
// there once over Polar's limit); then MEASURE virtual minutes measured.
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { PolarProvider, type Configuration } from "../../packages/paywall/src/index.js";

const SCALE = Number(process.env.SCALE ?? 6);
/** Per-N compression, `N:SCALE,…`: N = 10,000 needs ~125 virtual minutes of first sights. */
const SCALES = new Map(
  (process.env.SCALES ?? "10000:12")
    .split(",")
    .filter(Boolean)
    .map((pair) => pair.split(":").map(Number) as [number, number]),
);
const scaleFor = (n: number) => SCALES.get(n) ?? SCALE;
const NS = (process.env.NS ?? "10,100,300,1000,10000").split(",").map(Number);
const WARM = Number(process.env.WARM ?? 3);
const WARM_MAX = Number(process.env.WARM_MAX ?? 150);
const WARM_MAX_PREVIOUS = Number(process.env.WARM_MAX_PREVIOUS ?? 5);
const MEASURE = Number(process.env.MEASURE ?? 2);
const ALGORITHMS = (process.env.ALGORITHMS ?? "current,kept").split(",") as Algorithm[];

type Algorithm = "current" | "kept";

export function algorithmConfig(algorithm: Algorithm, scale: number): Partial<Configuration> {
  const s = (ms: number) => Math.max(1, Math.round(ms / scale));
  return algorithm === "current"
    ? {
        sync: { enabled: false },
        cache: { ttlMs: s(60_000), refreshAheadMs: s(15_000), negativeTtlMs: s(5_000) },
        batch: { intervalMs: s(200) },
        productCacheMs: s(60_000),
        circuitBreaker: { cooldownMs: s(1_000), maxCooldownMs: s(30_000) },
      }
    : {
        sync: {
          revocationsMs: s(10_000),
          grantsMs: s(15_000),
          metersMs: s(30_000),
          keysMs: s(60_000),
        },
        budget: {
          requestsPerMinute: 300 * scale,
          // The bucket's size is a count, not a rate: unscaled, as in production.
          burst: 50,
          sweepsPerMinute: 100 * scale,
          firstSightWaitMs: s(10_000),
        },
        batch: { intervalMs: s(1_000) },
        productCacheMs: s(60_000),
        circuitBreaker: { cooldownMs: s(1_000), maxCooldownMs: s(30_000) },
      };
}

export interface Polar {
  url: string;
  seed: {
    organizationId: string;
    accessToken: string;
    productId: string;
    benefitIds: Record<string, string>;
  };
  setupToken: string;
  customers: { customerId: string; key: string }[];
  keyIds: string[];
  stop(): void;
}

export async function spawnPolar(n: number, scale: number): Promise<Polar> {
  const entry = fileURLToPath(new URL("./scale-emulator.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--conditions=polar-mcp-source", "--import", "tsx", entry],
    {
      env: { ...process.env, N: String(n), SCALE: String(scale) },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout!, crlfDelay: Infinity }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { ...(JSON.parse(line) as Omit<Polar, "stop">), stop: () => child.kill("SIGTERM") };
}

/** What the paywall sent Polar, by kind, with the time it was sent. */
export function countingFetch() {
  const sent: { at: number; kind: string; status: number }[] = [];
  const kindOf = (method: string, path: string) =>
    path.includes("/license-keys/validate")
      ? "validate"
      : path.includes("/events/ingest")
        ? "ingest"
        : path.endsWith("/state")
          ? "state"
          : path.startsWith("/v1/events")
            ? "events"
            : path.startsWith("/v1/license-keys") ||
                path.startsWith("/v1/benefit-grants") ||
                path.includes("/grants") ||
                path.startsWith("/v1/customer-meters")
              ? "sweep"
              : `${method} ${path.split("/").slice(0, 3).join("/")}`;
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const response = await globalThis.fetch(request);
    sent.push({
      at: Date.now(),
      kind: kindOf(request.method, new URL(request.url).pathname),
      status: response.status,
    });
    return response;
  };
  return { fetch, sent };
}

const EVENT = { name: "tool_call", metadata: { tool_name: "bench" } };

async function run(n: number, algorithm: Algorithm) {
  const scale = scaleFor(n);
  const minute = 60_000 / scale;
  const polar = await spawnPolar(n, scale);
  const { fetch, sent } = countingFetch();
  const provider = PolarProvider.getInstance({
    token: polar.seed.accessToken,
    organizationId: polar.seed.organizationId,
    productId: polar.seed.productId,
    baseUrl: polar.url,
    fetch,
    outbox: ":memory:",
    ...algorithmConfig(algorithm, scale),
  });
  const periodMs = Math.max(3_000, 3 * n) / scale;
  const start = Date.now();
  const warmMax = start + (algorithm === "kept" ? WARM_MAX : WARM_MAX_PREVIOUS) * minute;
  const servedOnce = new Set<number>();
  let measureFrom = Infinity;
  let end = Infinity;
  const calls = { measured: 0, served: 0, denied: new Map<string, number>(), acked: 0 };
  const running = new Set<Promise<void>>();
  let next = 0; // calls issued so far, in order of schedule
  let lastReport = start;
  while (Date.now() < end) {
    const now = Date.now();
    if (measureFrom === Infinity && now >= start + WARM * minute) {
      // Steady state: every customer known (or the cap reached), then one more minute.
      if (servedOnce.size === n) measureFrom = Math.max(now + minute, start + WARM * minute);
      else if (now >= warmMax) measureFrom = now;
      if (measureFrom !== Infinity) end = measureFrom + MEASURE * minute;
    }
    if (measureFrom === Infinity && now >= lastReport + 10 * minute) {
      lastReport = now;
      process.stderr.write(
        `  N = ${n} ${algorithm}: ${((now - start) / minute).toFixed(0)} virtual min, ${servedOnce.size} customers served, ${sent.length} requests sent (${[
          ...sent.reduce(
            (m, r) => m.set(`${r.kind} ${r.status}`, (m.get(`${r.kind} ${r.status}`) ?? 0) + 1),
            new Map<string, number>(),
          ),
        ]
          .map(([k, v]) => `${k}: ${v}`)
          .join(", ")})\n`,
      );
    }
    const due = Math.floor(((now - start) / periodMs) * n);
    for (; next < due; next++) {
      const index = next % n;
      const customer = polar.customers[index]!;
      const p = provider.validateLicenseKey(customer.key, EVENT).then((result) => {
        if (result.valid) {
          calls.acked += 1;
          servedOnce.add(index);
        }
        if (Date.now() < measureFrom) return;
        calls.measured += 1;
        if (result.valid) calls.served += 1;
        else calls.denied.set(result.code, (calls.denied.get(result.code) ?? 0) + 1);
      });
      running.add(p);
      void p.finally(() => running.delete(p));
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(running);
  const unshipped = provider.pendingEvents();
  await provider.close(10_000).catch(() => {});
  const inPolar = await globalThis
    .fetch(`${polar.url}/v1/events/?name=tool_call&limit=1`, {
      headers: { authorization: `Bearer ${polar.setupToken}` },
    })
    .then((r) => r.json() as Promise<{ pagination: { total_count: number } }>);
  polar.stop();
  const window = sent.filter((r) => r.at >= measureFrom && r.at < end);
  const perMinute = (rows: typeof sent) => rows.length / MEASURE;
  const load = loadavg()[0]!;
  const byKind = new Map<string, number>();
  for (const r of window) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  return {
    n,
    algorithm,
    scale,
    warmMinutes: (measureFrom - start) / minute,
    knownAtMeasure: servedOnce.size,
    load,
    requestsPerMinute: perMinute(window),
    accepted: perMinute(window.filter((r) => r.status !== 429)),
    limited: perMinute(window.filter((r) => r.status === 429)),
    byKind: [...byKind].map(([k, v]) => `${k} ${(v / MEASURE).toFixed(0)}`).join(", "),
    served: calls.measured ? calls.served / calls.measured : 0,
    measured: calls.measured,
    denied: [...calls.denied].map(([c, v]) => `${c} ${v}`).join(", "),
    unshipped,
    lost: calls.acked - inPolar.pagination.total_count,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    `paywall at scale — SCALE ${SCALE} (${[...SCALES].map(([n, x]) => `${x} at N = ${n}`).join(", ")}), warm-up ≥ ${WARM} min until every customer was served (≤ ${WARM_MAX} min; previous algorithm ≤ ${WARM_MAX_PREVIOUS}), measured ${MEASURE} min, emulator limit 500/min; ${cpus().length} cores`,
  );
  console.log(
    "| N | algorithm | Polar req/min (sent) | of which 429 | calls served | unshipped at end | served − in Polar | by kind (per min) | denials | warm-up (virtual min; customers served by then) | SCALE | load avg (1 min) |",
  );
  console.log("|--:|---|--:|--:|--:|--:|--:|---|---|---|--:|--:|");
  for (const n of NS)
    for (const algorithm of ALGORITHMS) {
      const r = await run(n, algorithm);
      console.log(
        `| ${n} | ${algorithm} | ${r.requestsPerMinute.toFixed(0)} | ${r.limited.toFixed(0)} | ${(r.served * 100).toFixed(1)}% of ${r.measured} | ${r.unshipped} | ${r.lost} | ${r.byKind} | ${r.denied || "—"} | ${r.warmMinutes.toFixed(1)} (${r.knownAtMeasure} of ${n}) | ${r.scale} | ${r.load.toFixed(2)} |`,
      );
    }
  const goal = "goals: ≤ 100 req/min at N = 300, ≤ 250 at N = 10,000, every call served";
  console.log(goal);
  process.exit(0);
}
