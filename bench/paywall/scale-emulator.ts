// The emulator for the scale bench, in its own process as Polar is: Polar's 500 requests a
// minute per credential (windows shortened by SCALE, the bench's time compression), N
// customers each holding the demo product's key and credits plus 1,000,000 more credits.
// Set up through a second credential and the control plane, so the paywall's credential
// starts with a full window. Prints one JSON line { url, seed, customers } once ready.
import { startEmulator } from "../../packages/emulator/src/index.js";

const n = Number(process.env.N ?? 10);
const scale = Number(process.env.SCALE ?? 1);
const running = await startEmulator({
  db: ":memory:",
  seed: "demo",
  rateLimit: { limit: 500, windowMs: 60_000 / scale },
  latencyMs: Number(process.env.LATENCY_MS ?? 0),
});
const seed = running.seed!;
const call = async <T>(token: string | null, method: string, path: string, body?: unknown) => {
  const res = await running.emulator.fetch(
    new Request(`${running.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        "content-type": "application/json",
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
// Setup credentials, a fresh one every 400 requests: each has its own 500-request window.
let used = 0;
let current = "";
const setupToken = async () => {
  if (used % 400 === 0)
    current = (
      await call<{ token: string }>(null, "POST", "/__emulator/tokens", {
        organization_id: seed.organizationId,
      })
    ).token;
  used += 1;
  return current;
};
const setup = await setupToken();
const meterId = (seed as { meterId?: string }).meterId;
const plenty = await call<{ id: string }>(setup, "POST", "/v1/benefits/", {
  type: "meter_credit",
  description: "bench credits",
  properties: { meter_id: meterId, units: 1_000_000, rollover: false },
});
const customers: { customerId: string; key: string }[] = [];
const keyIds: string[] = [];
for (let i = 0; i < n; i++) {
  const customer = await call<{ id: string }>(await setupToken(), "POST", "/v1/customers/", {
    email: `bench-${i}@example.com`,
  });
  const grant = await call<{ properties: { license_key_id: string } }>(
    null,
    "POST",
    "/__emulator/benefit-grants",
    { customer_id: customer.id, benefit_id: seed.benefitIds.licenseKeys },
  );
  for (const benefit of [seed.benefitIds.meterCredit, plenty.id])
    await call(null, "POST", "/__emulator/benefit-grants", {
      customer_id: customer.id,
      benefit_id: benefit,
    });
  keyIds.push(grant.properties.license_key_id);
  customers.push({ customerId: customer.id, key: "" });
}
for (let i = 0; i < n; i++) {
  const key = await call<{ key: string }>(
    await setupToken(),
    "GET",
    `/v1/license-keys/${keyIds[i]}`,
  );
  customers[i]!.key = key.key;
}
process.stdout.write(
  `${JSON.stringify({ url: running.url, seed, setupToken: await setupToken(), keyIds, customers })}\n`,
);
process.on("SIGTERM", () => void running.close().then(() => process.exit(0)));
