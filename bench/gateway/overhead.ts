/**
 * Overhead of one tool call through the gateway against `polar-mcp serve` directly, all
 * against the emulator, each in its own process (sources through tsx): sequential p50/p99
 * (calls rotate between the targets, so drift hits all alike) and calls/s under load
 * (autocannon). The call is `customers_list` with `limit: 1` over Streamable HTTP (JSON).
 * The gateways hold 1,000 accounts and 10,000 servers besides the measured one
 * (BENCH_ACCOUNTS, BENCH_SERVERS). Rows: serve direct, gateway on a SQLite file, and
 * gateway on PostgreSQL (a private cluster started for the run from Debian's binaries, or
 * BENCH_DATABASE_URL; skipped with BENCH_POSTGRES=0).
 * Usage: npx tsx --conditions=polar-mcp-source bench/gateway/overhead.ts [calls] [seconds] [connections]
 */
import autocannon from "autocannon";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { spawnChild, type Child } from "../emulator/spawn.js";
import {
  startPostgres,
  type PrivatePostgres,
} from "../../packages/gateway/test/helpers/postgres.js";

const CALLS = Number(process.argv[2] ?? 2000);
const SECONDS = Number(process.argv[3] ?? 10);
const CONNECTIONS = Number(process.argv[4] ?? 10);
const WARMUP = 200;
const BODY = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "customers_list", arguments: { limit: 1 } },
});
const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

process.env.BENCH_SPEC ??= fileURLToPath(
  new URL("../../../shared/polar-openapi/2026-10.openapi.json", import.meta.url),
);
const children: Child[] = [];
let postgres: PrivatePostgres | undefined;
try {
  const emulator = await spawnChild("./child-emulator.ts"); // paths relative to bench/emulator/spawn.ts
  children.push(emulator);
  process.env.BENCH_EMULATOR_URL = emulator.url;
  process.env.BENCH_TOKEN = emulator.seed!.accessToken;
  const targets: Array<{ name: string; child: Child }> = [];
  const direct = await spawnChild("../gateway/child-serve.ts");
  children.push(direct);
  targets.push({ name: "polar-mcp serve (direct)", child: direct });
  const started = performance.now();
  const sqlite = await spawnChild("../gateway/child-gateway.ts");
  children.push(sqlite);
  targets.push({ name: "gateway, SQLite file", child: sqlite });
  const fill = ((performance.now() - started) / 1000).toFixed(1);
  if (process.env.BENCH_POSTGRES !== "0") {
    if (!process.env.BENCH_DATABASE_URL) {
      postgres = await startPostgres();
      process.env.BENCH_DATABASE_URL = postgres.url;
    }
    const pg = await spawnChild("../gateway/child-gateway.ts");
    children.push(pg);
    targets.push({ name: "gateway, PostgreSQL", child: pg });
  }

  const call = async (url: string): Promise<number> => {
    const t0 = performance.now();
    const response = await fetch(url, { method: "POST", headers: HEADERS, body: BODY });
    // JSON, or (serve's transport may answer as SSE) the last data line of the stream.
    const text = await response.text();
    const data = text.startsWith("event:") ? (/^data: (.*)$/m.exec(text)?.[1] ?? "") : text;
    const json = JSON.parse(data) as { result?: { isError?: boolean } };
    if (!response.ok || !json.result || json.result.isError) {
      throw new Error(`call failed: HTTP ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
    }
    return performance.now() - t0;
  };
  for (let i = 0; i < WARMUP; i += 1) await Promise.all(targets.map((t) => call(t.child.url)));
  const times = targets.map(() => [] as number[]);
  for (let i = 0; i < CALLS; i += 1) {
    for (const [k, t] of targets.entries()) times[k]!.push(await call(t.child.url));
  }
  const load = async (url: string) => {
    const result = await autocannon({
      url,
      method: "POST",
      headers: HEADERS,
      body: BODY,
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    return {
      rps: result.requests.average as number,
      bad: (result.non2xx as number) + (result.errors as number),
    };
  };
  const loads: Array<{ rps: number; bad: number }> = [];
  for (const t of targets) loads.push(await load(t.child.url));

  const p = (values: number[], q: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  };
  const base = { p50: p(times[0]!, 0.5), p99: p(times[0]!, 0.99), rps: loads[0]!.rps };
  const lines = targets.map((t, k) => {
    const p50 = p(times[k]!, 0.5);
    const p99 = p(times[k]!, 0.99);
    const delta =
      k === 0
        ? ""
        : `  (p50 +${(p50 - base.p50).toFixed(2)} ms, p99 +${(p99 - base.p99).toFixed(2)} ms, ${((loads[k]!.rps / base.rps) * 100).toFixed(0)}% of direct calls/s)`;
    return `  ${t.name.padEnd(28)} p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms  ${loads[k]!.rps.toFixed(0)} calls/s (non-2xx/errors ${loads[k]!.bad})${delta}`;
  });
  process.stdout.write(
    [
      `customers_list over Streamable HTTP, emulator in its own process; gateways hold ${process.env.BENCH_ACCOUNTS ?? 1000} accounts and ${process.env.BENCH_SERVERS ?? 10000} servers (SQLite filled in ${fill} s); ${CALLS} sequential calls each (rotating), then ${SECONDS}s x ${CONNECTIONS} connections each:`,
      ...lines,
      `  machine: ${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" / ")} (1/5/15 min) at the end of the run`,
      "",
    ].join("\n"),
  );
} finally {
  for (const child of children) child.stop();
  await postgres?.stop();
}
