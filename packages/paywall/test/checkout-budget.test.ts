// Checkouts for denials draw from the request budget like every other Polar request: while
// the budget is paused by a 429's Retry-After, a denial creates no checkout, answers at once
// with its code and a message saying the link could not be made, and a customer whose link
// was made before keeps getting it (cached 30 min). Against the in-process emulator.
import { createEmulator } from "@polar-mcp/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { PolarProvider } from "../src/provider/polar-provider.js";

const EVENT = { name: "tool_call", metadata: { tool_name: "t" } };
const providers: PolarProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

function setup() {
  const emulator = createEmulator({ seed: "demo" });
  const seed = emulator.seed!;
  const sent: string[] = [];
  let limitIngestion = false;
  let limited = 0;
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (limitIngestion && path === "/v1/events/ingest") {
      limitIngestion = false;
      limited += 1;
      return new Response(null, { status: 429, headers: { "retry-after": "3" } });
    }
    sent.push(`${request.method} ${path}`);
    return emulator.fetch(request);
  };
  const admin = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await emulator.fetch(
      new Request(`http://emulator${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${seed.accessToken}`,
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
      }),
    );
    if (!res.ok) throw new Error(`${path} → ${res.status}`);
    return (await res.json()) as T;
  };
  const provider = PolarProvider.getInstance({
    token: seed.accessToken,
    organizationId: seed.organizationId,
    productId: seed.productId,
    baseUrl: "http://emulator",
    fetch,
    outbox: ":memory:",
    batch: { intervalMs: 20 },
    budget: { requestsPerMinute: 6000, firstSightWaitMs: 1_000 },
  });
  providers.push(provider);
  return {
    emulator,
    seed,
    sent,
    admin,
    provider,
    limitNextIngestion: () => (limitIngestion = true),
    limited: () => limited,
  };
}

const checkoutsSent = (sent: string[]) => sent.filter((r) => r.includes("/v1/checkout")).length;

describe("checkouts for denials go through the request budget", () => {
  it("while a 429 pauses the budget a denial creates no checkout and says its link could not be made; a customer's earlier link is reused", async () => {
    const t = setup();
    // A customer with the license key but without the credits benefit: refused, with a link.
    const customer = await t.admin<{ id: string }>("/v1/customers/", {
      email: "no-credits@example.com",
    });
    const grant = await t.admin<{ properties: { license_key_id: string } }>(
      "/__emulator/benefit-grants",
      { customer_id: customer.id, benefit_id: t.seed.benefitIds.licenseKeys },
    );
    const keyRes = await t.emulator.fetch(
      new Request(`http://emulator/v1/license-keys/${grant.properties.license_key_id}`, {
        headers: { authorization: `Bearer ${t.seed.accessToken}` },
      }),
    );
    const { key } = (await keyRes.json()) as { key: string };

    const refused = await t.provider.validateLicenseKey(key, EVENT);
    expect(refused).toMatchObject({ valid: false, code: "meter_credit_exhausted" });
    expect(refused.checkoutUrl).toMatch(/^http/);
    expect(checkoutsSent(t.sent)).toBe(1);

    // The demo customer's paid call ships an event; Polar answers 429 (Retry-After 3 s).
    expect((await t.provider.validateLicenseKey(t.seed.licenseKey, EVENT)).valid).toBe(true);
    t.limitNextIngestion();
    await expect.poll(() => t.limited(), { timeout: 5_000 }).toBe(1);

    // No key: the product's link would need a request, and the budget is paused.
    const missing = await t.provider.validateLicenseKey(undefined, EVENT);
    expect(missing).toMatchObject({ valid: false, code: "license_key_missing" });
    expect(missing.checkoutUrl).toBeUndefined();
    expect(missing.message).toContain("A license key is required");
    expect(missing.message).toContain("A payment link could not be created just now");
    // The customer refused before keeps the link made for them, without a request.
    const again = await t.provider.validateLicenseKey(key, EVENT);
    expect(again).toMatchObject({
      code: "meter_credit_exhausted",
      checkoutUrl: refused.checkoutUrl,
    });
    expect(checkoutsSent(t.sent)).toBe(1);
  });
});
