/**
 * License-key validations per second over HTTP on one emulator process (loopback,
 * autocannon, the organization endpoint with its token), against a trivial Hono JSON
 * endpoint on the same adapter; idle RSS too.
 * Usage: npx tsx bench/emulator/validate.ts [seconds] [connections]
 */
import autocannon from "autocannon";
import { existsSync } from "node:fs";
import { spawnChild, type Child } from "./spawn.js";

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = Number(process.argv[3] ?? 20);

async function run(child: Child, path: string, body: unknown, token?: string) {
  const result = await autocannon({
    url: `${child.url}${path}`,
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const bad = result.non2xx + result.errors;
  return { rps: result.requests.average, p99: result.latency.p99, bad };
}

// The build (as installed from npm) when present, else the sources through tsx.
const useBuild = existsSync(new URL("../../packages/emulator/dist/index.js", import.meta.url));
const hono = await spawnChild(useBuild ? "./child-hono.mjs" : "./child-hono.ts");
const honoIdle = hono.rssMb();
const baseline = await run(hono, "/v1/license-keys/validate", { key: "x" });
hono.stop();

const emulator = await spawnChild(useBuild ? "./child-emulator-build.mjs" : "./child-emulator.ts");
await new Promise((r) => setTimeout(r, 500));
const idle = emulator.rssMb();
const seed = emulator.seed!;
// The organization endpoint, as the paywall calls it (authenticated, not rate limited; the
// customer-portal endpoint allows 3 requests/s per client, as Polar does).
const validate = await run(
  emulator,
  "/v1/license-keys/validate",
  { key: seed.licenseKey, organization_id: seed.organizationId },
  seed.accessToken,
);
const after = emulator.rssMb();
emulator.stop();

process.stdout.write(
  [
    `${SECONDS}s, ${CONNECTIONS} connections, loopback, ${useBuild ? "emulator build on plain node" : "sources through tsx"}:`,
    `  baseline Hono JSON endpoint : ${baseline.rps.toFixed(0)} req/s (p99 ${baseline.p99} ms, non-2xx/errors ${baseline.bad})`,
    `  emulator license-key validate: ${validate.rps.toFixed(0)} req/s (p99 ${validate.p99} ms, non-2xx/errors ${validate.bad})  = ${((validate.rps / baseline.rps) * 100).toFixed(0)}% of baseline`,
    `  idle RSS: emulator ${idle.toFixed(0)} MB (baseline Hono ${honoIdle.toFixed(0)} MB); after load ${after.toFixed(0)} MB`,
    "",
  ].join("\n"),
);
