/**
 * Webhook delivery on loopback: the emulator in process (its HTTP handler), one endpoint on a
 * plain node:http receiver in the same process.
 *  - latency: from the state change (the request that causes it: POST /v1/customers/, which
 *    sends customer.created) to the receiver reading the signed webhook; sequential, p50/p99;
 *  - throughput: a burst of changes queued at once, then deliveries/s to the one endpoint
 *    (strict FIFO per endpoint, one request in flight, as Polar).
 * Baseline, same run and receiver: a bare `fetch` POST of the same body size (latency p50/p99,
 * sequential POSTs/s), which is the floor any delivery pays.
 * Usage: npx tsx bench/emulator-webhooks/delivery.ts [changes] [burst]
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createEmulator } from "../../packages/emulator/src/index.js";

const CHANGES = Number(process.argv[2] ?? 500);
const BURST = Number(process.argv[3] ?? 2000);

// The receiver resolves the waiter of each webhook id… by the customer email in the body.
const waiters = new Map<string, () => void>();
let received = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received += 1;
    const body = Buffer.concat(chunks).toString("utf8");
    const key = /"email":"([^"]+)"/.exec(body)?.[1];
    res.writeHead(204).end();
    if (key) waiters.get(key)?.();
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

const emulator = createEmulator({ seed: "demo" });
const token = emulator.seed!.accessToken;
const call = async (method: string, path: string, body?: unknown) => {
  const res = await emulator.fetch(
    new Request(`http://emulator${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
};
await call("POST", "/v1/webhooks/endpoints", {
  url: receiverUrl,
  format: "raw",
  events: ["customer.created"],
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const arrival = (email: string) =>
  new Promise<void>((resolve) => waiters.set(email, () => (waiters.delete(email), resolve())));

// Latency: one change at a time.
let sample = "";
const latencies: number[] = [];
for (let i = 0; i < CHANGES + 20; i++) {
  const email = `latency-${i}@example.com`;
  const arrived = arrival(email);
  const start = performance.now();
  await call("POST", "/v1/customers/", { email });
  await arrived;
  if (i >= 20) latencies.push(performance.now() - start); // after 20 warm-up changes
  if (i === 0) sample = email;
}
latencies.sort((a, b) => a - b);

// Throughput: BURST changes queued as fast as the API takes them, then drained.
const before = received;
const lastEmail = `burst-${BURST - 1}@example.com`;
const lastArrived = arrival(lastEmail);
const burstStart = performance.now();
for (let i = 0; i < BURST; i++)
  await call("POST", "/v1/customers/", { email: `burst-${i}@example.com` });
const queuedMs = performance.now() - burstStart;
await lastArrived;
const drainMs = performance.now() - burstStart;
const delivered = received - before;

// Baseline: bare POSTs of a body of the same size to the same receiver.
const payloadSize = JSON.stringify({ type: "customer.created", email: sample }).length;
const bareBody = (email: string) =>
  JSON.stringify({ email, pad: "x".repeat(Math.max(0, 1500 - payloadSize)) });
const bare: number[] = [];
for (let i = 0; i < CHANGES + 20; i++) {
  const email = `bare-${i}@example.com`;
  const arrived = arrival(email);
  const start = performance.now();
  await fetch(receiverUrl, {
    method: "POST",
    body: bareBody(email),
    headers: { "content-type": "application/json" },
  });
  await arrived;
  if (i >= 20) bare.push(performance.now() - start);
}
bare.sort((a, b) => a - b);
const bareBurstStart = performance.now();
for (let i = 0; i < BURST; i++)
  await fetch(receiverUrl, {
    method: "POST",
    body: bareBody(`bare-burst-${i}`),
    headers: { "content-type": "application/json" },
  });
const bareRate = BURST / ((performance.now() - bareBurstStart) / 1000);

const rate = delivered / (drainMs / 1000);
const row = (label: string, ours: number, base: number, digits = 2) =>
  `${label.padEnd(40)} ${ours.toFixed(digits).padStart(12)} ${base.toFixed(digits).padStart(12)} ${(ours / base).toFixed(2).padStart(8)}×`;
process.stdout.write(
  [
    `webhook delivery on loopback: ${CHANGES} sequential changes, burst of ${BURST}`,
    `${"".padEnd(40)} ${"emulator".padStart(12)} ${"bare POST".padStart(12)} ${"ratio".padStart(9)}`,
    row("change → receiver p50 (ms)", percentile(latencies, 50), percentile(bare, 50), 3),
    row("change → receiver p99 (ms)", percentile(latencies, 99), percentile(bare, 99), 3),
    row("deliveries / s to one endpoint", rate, bareRate, 0),
    `burst: ${BURST} changes accepted in ${queuedMs.toFixed(0)} ms, all ${delivered} delivered after ${drainMs.toFixed(0)} ms`,
    "",
  ].join("\n"),
);
await emulator.close();
server.close();
