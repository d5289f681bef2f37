/**
 * Start to first successful response, in memory: the emulator (demo seed, then a license-key
 * validation) against a bare Hono hello-world on the same adapter, both spawned the same way.
 * Usage: npx tsx bench/emulator/startup.ts [runs]
 */
import { performance } from "node:perf_hooks";
import { createEmulator } from "../../packages/emulator/src/index.js";
import { existsSync } from "node:fs";
import { spawnChild } from "./spawn.js";

const BUILD = new URL("../../packages/emulator/dist/index.js", import.meta.url);

const RUNS = Number(process.argv[2] ?? 5);

async function firstResponse(file: string): Promise<number> {
  const start = performance.now();
  const child = await spawnChild(file);
  const res = child.seed
    ? await fetch(`${child.url}/v1/customer-portal/license-keys/validate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          key: child.seed.licenseKey,
          organization_id: child.seed.organizationId,
        }),
      })
    : await fetch(`${child.url}/`);
  if (res.status !== 200) throw new Error(`${file}: first response ${res.status}`);
  const elapsed = performance.now() - start;
  child.stop();
  return elapsed;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const hono: number[] = [];
const emulator: number[] = [];
const honoJs: number[] = [];
const built: number[] = [];
for (let i = 0; i < RUNS; i++) {
  hono.push(await firstResponse("./child-hono.ts"));
  emulator.push(await firstResponse("./child-emulator.ts"));
  honoJs.push(await firstResponse("./child-hono.mjs"));
  if (existsSync(BUILD)) built.push(await firstResponse("./child-emulator-build.mjs"));
}

// In process: createEmulator + seed + first validation, without process start-up.
const inProcess: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  const e = createEmulator({ seed: "demo" });
  const res = await e.fetch(
    new Request("http://emulator/v1/customer-portal/license-keys/validate", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: e.seed!.licenseKey, organization_id: e.seed!.organizationId }),
    }),
  );
  if (res.status !== 200) throw new Error(`in-process: ${res.status}`);
  inProcess.push(performance.now() - start);
  await e.close();
}

const h = median(hono);
const em = median(emulator);
const hj = median(honoJs);
const bj = built.length > 0 ? median(built) : undefined;
process.stdout.write(
  [
    `start to first successful response, median of ${RUNS}; sources via node + tsx:`,
    `  baseline bare Hono hello-world : ${h.toFixed(0)} ms`,
    `  emulator (demo seed, validate) : ${em.toFixed(0)} ms  (${(em / h).toFixed(2)}x baseline, +${(em - h).toFixed(0)} ms)`,
    `plain node (the emulator from its build, as installed from npm):`,
    `  baseline bare Hono hello-world : ${hj.toFixed(0)} ms`,
    bj === undefined
      ? "  emulator build: missing, run `npm run build -w @polar-mcp/emulator` first"
      : `  emulator (demo seed, validate) : ${bj.toFixed(0)} ms  (${(bj / hj).toFixed(2)}x baseline, +${(bj - hj).toFixed(0)} ms)`,
    `  emulator in-process (create + seed + validate): ${median(inProcess).toFixed(1)} ms`,
    "",
  ].join("\n"),
);
