/**
 * Overhead of one tool call through the gateway against `polar-mcp serve` directly, all
 * against the emulator, each in its own process (sources through tsx). The call is
 * `customers_list` with `limit: 1` over Streamable HTTP. The gateways hold 1,000 accounts
 * and 10,000 servers besides the measured one (BENCH_ACCOUNTS, BENCH_SERVERS). Rows: serve
 * direct, gateway on a SQLite file, and gateway on PostgreSQL (a private cluster started for
 * the run from Debian's binaries, or BENCH_DATABASE_URL; skipped with BENCH_POSTGRES=0).
 *
 * Fairness on a shared machine: the sequential calls run in `rounds` rounds; inside a round
 * calls rotate between the targets one by one (each round starting with another target), so
 * drift and other jobs' load hit every target alike. Each row prints the median of its
 * per-round p50s (with their range), p99 over every call, and the CPU time its process spent
 * per call (from /proc, the figure least moved by other jobs). Then calls/s under load
 * (autocannon), also in rounds rotating between targets, median of the rounds. The load
 * average is printed at the start and the end.
 * Usage: npx tsx --conditions=polar-mcp-source bench/gateway/overhead.ts [calls] [seconds] [connections] [rounds]
 */
import autocannon from "autocannon";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
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
const ROUNDS = Math.max(1, Number(process.argv[5] ?? 5));
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
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

process.env.BENCH_SPEC ??= fileURLToPath(
  new URL("../../../shared/polar-openapi/2026-10.openapi.json", import.meta.url),
);
const loadAtStart = loadavg();
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

  const n = targets.length;
  const all = targets.map(() => [] as number[]);
  const roundP50s = targets.map(() => [] as number[]);
  const cpuBefore = targets.map((t) => cpuMs(t.child));
  const perRound = Math.max(1, Math.round(CALLS / ROUNDS));
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = targets.map((_, k) => (k + round) % n);
    const times = targets.map(() => [] as number[]);
    for (let i = 0; i < perRound; i += 1) {
      for (const k of order) times[k]!.push(await call(targets[k]!.child.url));
    }
    times.forEach((values, k) => {
      roundP50s[k]!.push(quantile(values, 0.5));
      all[k]!.push(...values);
    });
  }
  const cpuPerCall = targets.map((t, k) => (cpuMs(t.child) - cpuBefore[k]!) / (perRound * ROUNDS));

  const loadRounds = targets.map(() => [] as number[]);
  const bad = targets.map(() => 0);
  const loadSeconds = Math.max(1, Math.round(SECONDS / ROUNDS));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const k of targets.map((_, j) => (j + round) % n)) {
      const result = await autocannon({
        url: targets[k]!.child.url,
        method: "POST",
        headers: HEADERS,
        body: BODY,
        connections: CONNECTIONS,
        duration: loadSeconds,
      });
      loadRounds[k]!.push(result.requests.average);
      bad[k]! += result.non2xx + result.errors;
    }
  }

  const rows = targets.map((t, k) => ({
    name: t.name,
    p50: median(roundP50s[k]!),
    p50Range: [Math.min(...roundP50s[k]!), Math.max(...roundP50s[k]!)],
    p99: quantile(all[k]!, 0.99),
    cpu: cpuPerCall[k]!,
    rps: median(loadRounds[k]!),
    bad: bad[k]!,
  }));
  const base = rows[0]!;
  const signed = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(2)}`;
  const lines = rows.map((r, k) => {
    const delta =
      k === 0
        ? ""
        : `  (p50 ${signed(r.p50 - base.p50)} ms, p99 ${signed(r.p99 - base.p99)} ms, CPU ${signed(r.cpu - base.cpu)} ms/call, ${((r.rps / base.rps) * 100).toFixed(0)}% of direct calls/s)`;
    return `  ${r.name.padEnd(26)} p50 ${r.p50.toFixed(2)} ms [rounds ${r.p50Range[0]!.toFixed(2)}–${r.p50Range[1]!.toFixed(2)}]  p99 ${r.p99.toFixed(2)} ms  CPU ${r.cpu.toFixed(2)} ms/call  ${r.rps.toFixed(0)} calls/s (non-2xx/errors ${r.bad})${delta}`;
  });
  const load = (l: number[]) => l.map((v) => v.toFixed(1)).join(" / ");
  process.stdout.write(
    [
      `customers_list over Streamable HTTP, emulator in its own process; gateways hold ${process.env.BENCH_ACCOUNTS ?? 1000} accounts and ${process.env.BENCH_SERVERS ?? 10000} servers (SQLite filled in ${fill} s);`,
      `${perRound * ROUNDS} sequential calls each in ${ROUNDS} rounds (rotating call by call; p50 = median of the rounds' p50s), then ${ROUNDS} rounds of ${loadSeconds} s x ${CONNECTIONS} connections each (median calls/s):`,
      ...lines,
      `  machine: ${cpus().length} cores, load average ${load(loadAtStart)} at the start, ${load(loadavg())} at the end (1/5/15 min)`,
      "",
    ].join("\n"),
  );
} finally {
  for (const child of children) child.stop();
  await postgres?.stop();
}

// CPU time (user + system) a child process has used so far, in ms (Linux /proc).
function cpuMs(child: Child): number {
  const stat = readFileSync(`/proc/${child.process.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields after the command name start at field 3 (state); utime is 14, stime 15.
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function median(values: number[]): number {
  return quantile(values, 0.5);
}
