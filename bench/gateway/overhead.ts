/**
 * Overhead of one tool call through the gateway against `polar-mcp serve` directly, both
 * against the emulator, each in its own process (sources through tsx): sequential p50/p99
 * (calls alternate between the two, so drift hits both alike) and calls/s under load
 * (autocannon). The call is `customers_list` with `limit: 1` over Streamable HTTP (JSON).
 * Usage: npx tsx --conditions=polar-mcp-source bench/gateway/overhead.ts [calls] [seconds] [connections]
 * BENCH_DATABASE_URL=postgres://… measures the gateway on PostgreSQL instead of SQLite.
 */
import autocannon from "autocannon";
import { fileURLToPath } from "node:url";
import { spawnChild, type Child } from "../emulator/spawn.js";

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
try {
  const emulator = await spawnChild("./child-emulator.ts"); // paths relative to bench/emulator/spawn.ts
  children.push(emulator);
  process.env.BENCH_EMULATOR_URL = emulator.url;
  process.env.BENCH_TOKEN = emulator.seed!.accessToken;
  const direct = await spawnChild("../gateway/child-serve.ts");
  const gateway = await spawnChild("../gateway/child-gateway.ts");
  children.push(direct, gateway);

  const call = async (url: string): Promise<number> => {
    const started = performance.now();
    const response = await fetch(url, { method: "POST", headers: HEADERS, body: BODY });
    const json = (await response.json()) as { result?: { isError?: boolean } };
    if (!response.ok || !json.result || json.result.isError) {
      throw new Error(`call failed: HTTP ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
    }
    return performance.now() - started;
  };
  for (let i = 0; i < WARMUP; i += 1) await Promise.all([call(direct.url), call(gateway.url)]);
  const times = { direct: [] as number[], gateway: [] as number[] };
  for (let i = 0; i < CALLS; i += 1) {
    times.direct.push(await call(direct.url));
    times.gateway.push(await call(gateway.url));
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
  const directLoad = await load(direct.url);
  const gatewayLoad = await load(gateway.url);

  const p = (values: number[], q: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  };
  const row = (name: string, t: number[], l: { rps: number; bad: number }) =>
    `  ${name.padEnd(28)} p50 ${p(t, 0.5).toFixed(2)} ms  p99 ${p(t, 0.99).toFixed(2)} ms  ${l.rps.toFixed(0)} calls/s (non-2xx/errors ${l.bad})`;
  process.stdout.write(
    [
      `customers_list over Streamable HTTP, emulator in its own process; ${CALLS} sequential calls each (alternating), then ${SECONDS}s x ${CONNECTIONS} connections each:`,
      row("polar-mcp serve (direct)", times.direct, directLoad),
      row(
        `gateway (${process.env.BENCH_DATABASE_URL ? "PostgreSQL" : "SQLite file"})`,
        times.gateway,
        gatewayLoad,
      ),
      `  overhead per call: p50 +${(p(times.gateway, 0.5) - p(times.direct, 0.5)).toFixed(2)} ms, p99 +${(p(times.gateway, 0.99) - p(times.direct, 0.99)).toFixed(2)} ms; throughput ${((gatewayLoad.rps / directLoad.rps) * 100).toFixed(0)}% of direct`,
      "",
    ].join("\n"),
  );
} finally {
  for (const child of children) child.stop();
}
