// Issue 15's staleness bench: how long a key revoked or disabled in Polar keeps being
// served, with and without the webhook route, for kept standings and for the previous
// algorithm, in real time (no compression), 100 active customers calling every 3 s.
//
//   npx tsx --conditions=polar-mcp-source bench/paywall/revocation.ts
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PolarProvider, toNodeHandler } from "../../packages/paywall/src/index.js";
import { algorithmConfig, countingFetch, spawnPolar } from "./scale.js";

const N = 100;
const TRIALS = Number(process.env.TRIALS ?? 3);
const EVENT = { name: "tool_call", metadata: { tool_name: "bench" } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Scenario {
  algorithm: "current" | "kept";
  webhooks: boolean;
  change: "revoked" | "disabled";
}

async function trial(scenario: Scenario, index: number): Promise<number> {
  const polar = await spawnPolar(N, 1);
  const { fetch } = countingFetch();
  const provider = PolarProvider.getInstance({
    token: polar.seed.accessToken,
    organizationId: polar.seed.organizationId,
    productId: polar.seed.productId,
    baseUrl: polar.url,
    fetch,
    outbox: ":memory:",
    ...algorithmConfig(scenario.algorithm, 1),
  });
  const server = createServer();
  if (scenario.webhooks) {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const handler = toNodeHandler(
      provider.webhookHandler({ publicUrl: `http://127.0.0.1:${port}/polar/webhooks` }),
    );
    server.on("request", (req, res) => void handler(req, res));
  }
  let stop = false;
  const load = (async () => {
    for (let i = 0; !stop; i++) {
      void provider.validateLicenseKey(polar.customers[i % N]!.key, EVENT);
      await sleep(3000 / N);
    }
  })();
  const victim = polar.customers[index % N]!;
  const keyId = polar.keyIds[index % N]!;
  const probe = async () => {
    const a = await provider.authorize(victim.key, EVENT);
    a.release();
    return a.valid;
  };
  while (!(await probe())) await sleep(100);
  await sleep(5000); // steady: the victim is known, sweeps and refreshes are running
  const res = await globalThis.fetch(`${polar.url}/v1/license-keys/${keyId}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${polar.setupToken}`, "content-type": "application/json" },
    body: JSON.stringify({ status: scenario.change }),
  });
  if (!res.ok) throw new Error(`PATCH → ${res.status}`);
  const changedAt = Date.now();
  while (await probe()) await sleep(20);
  const staleness = Date.now() - changedAt;
  stop = true;
  await load;
  await provider.close(5_000).catch(() => {});
  server.close();
  polar.stop();
  return staleness;
}

const scenarios: Scenario[] = [
  { algorithm: "kept", webhooks: true, change: "revoked" },
  { algorithm: "kept", webhooks: false, change: "revoked" },
  { algorithm: "kept", webhooks: false, change: "disabled" },
  { algorithm: "current", webhooks: true, change: "revoked" },
  { algorithm: "current", webhooks: false, change: "revoked" },
];
console.log(`revocation staleness — N = ${N} active customers, ${TRIALS} trials each, real time`);
console.log("| algorithm | webhook route | key | served for (ms), each trial | max |");
console.log("|---|---|---|---|--:|");
const only = process.env.ONLY; // e.g. "kept-mounted-revoked"
for (const scenario of scenarios) {
  const name = `${scenario.algorithm}-${scenario.webhooks ? "mounted" : "none"}-${scenario.change}`;
  if (only && name !== only) continue;
  const trials = scenario.algorithm === "current" && !scenario.webhooks ? 1 : TRIALS;
  const times: number[] = [];
  for (let i = 0; i < trials; i++) times.push(await trial(scenario, i));
  console.log(
    `| ${scenario.algorithm} | ${scenario.webhooks ? "mounted" : "none"} | ${scenario.change} | ${times.join(", ")} | ${Math.max(...times)} |`,
  );
}
process.exit(0);
