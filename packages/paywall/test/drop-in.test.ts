// The seed's promises kept (issue 14): checkout links that open on every denial with a
// purchase path, one-argument validation, zero balance denies whatever the event, bad
// amounts refused — in both deliveries, each count read after the usage is flushed.
import { describe, expect, it, vi } from "vitest";
import { PaywallError, type PaywallLogger } from "../src/index.js";
import { createFixture as createFixtureFor, type Delivery } from "./emulator-fixture.js";

const EVENT = { name: "tool_call", metadata: { tool_name: "greet" } };
const URL_IN_MESSAGE = /https?:\/\/\S+/;

describe.each<Delivery>(["background", "direct"])("%s delivery", (delivery) => {
  const createFixture = () => createFixtureFor(delivery);
  // For tests that read a balance right after usage: the emulator's default is Polar's
  // recompute debounced 15 s after ingestion, which these tests are not about.
  const createInstantFixture = () => createFixtureFor(delivery, { instantBalances: true });

  /** Everything this provider accepted has reached Polar (or nothing is pending). */
  async function settled(polar: ReturnType<ReturnType<typeof createFixture>["provider"]>) {
    await polar.flush(10_000);
    expect(polar.pendingEvents()).toBe(0);
  }

  it("getCheckoutUrl() returns a checkout link that opens, created with payment_processor stripe", async () => {
    const f = createFixture();
    const bodies: unknown[] = [];
    const polar = f.provider({
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (new URL(request.url).pathname.startsWith("/v1/checkout-links"))
          bodies.push(await request.clone().json());
        return f.emulator.fetch(request);
      },
    });
    const url = await polar.getCheckoutUrl();
    expect(url).toMatch(/^https?:\/\//);
    expect(bodies).toEqual([
      expect.objectContaining({ payment_processor: "stripe", products: [f.seed.productId] }),
    ]);
    const page = await f.emulator.fetch(new Request(url));
    expect(page.status).toBeLessThan(400);
    // The link is reusable: a second call creates nothing.
    expect(await polar.getCheckoutUrl()).toBe(url);
    expect(bodies).toHaveLength(1);
  });

  it("every denial with a purchase path carries the checkout URL in message and checkoutUrl", async () => {
    const f = createInstantFixture();
    const polar = f.provider();
    const denials = [];
    denials.push(await polar.validateLicenseKey(undefined, EVENT));
    denials.push(
      await polar.validateLicenseKey("DEMO-00000000-0000-0000-0000-000000000000", EVENT),
    );
    const limited = await f.newCustomer();
    const record = await f.licenseKeyRecord(limited.licenseKey);
    await f.api("PATCH", `/v1/license-keys/${record.id}`, { limit_usage: 1 });
    expect((await polar.validateLicenseKey(limited.licenseKey, EVENT)).valid).toBe(true);
    denials.push(await polar.validateLicenseKey(limited.licenseKey, EVENT));
    const expired = await f.newCustomer();
    const expiredRecord = await f.licenseKeyRecord(expired.licenseKey);
    await f.api("PATCH", `/v1/license-keys/${expiredRecord.id}`, {
      expires_at: "2024-01-01T00:00:00Z",
    });
    denials.push(await polar.validateLicenseKey(expired.licenseKey, EVENT));
    // Another client spends the credits; the webhook tells this paywall.
    await f.ingest(f.seed.customerId, f.seed.credits);
    await polar.invalidateCustomer(f.seed.customerId);
    denials.push(await polar.validateLicenseKey(f.seed.licenseKey, EVENT));
    expect(denials.map((d) => d.code)).toEqual([
      "license_key_missing",
      "license_key_not_granted",
      "license_key_usage_limit_reached",
      "license_key_expired",
      "meter_credit_exhausted",
    ]);
    for (const denial of denials) {
      expect(denial.valid).toBe(false);
      expect(denial.checkoutUrl).toMatch(/^https?:\/\//);
      expect(denial.message).toContain(denial.checkoutUrl);
      expect((await f.emulator.fetch(new Request(denial.checkoutUrl!))).status).toBeLessThan(400);
    }
    await settled(polar);
    expect(await f.eventCount(f.seed.customerId)).toBe(f.seed.credits);
  });

  it("a checkout Polar refuses is logged, retried only after 30 s, and the denial still answers", async () => {
    const f = createFixture();
    const lines: unknown[][] = [];
    const logger: PaywallLogger = {
      warn: (...args) => lines.push(args),
      error: (...args) => lines.push(args),
    };
    let checkoutRequests = 0;
    const polar = f.provider({
      logger,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (new URL(request.url).pathname.startsWith("/v1/checkout")) {
          checkoutRequests += 1;
          return new Response(JSON.stringify({ detail: "down" }), { status: 503 });
        }
        return f.emulator.fetch(request);
      },
    });
    const first = await polar.validateLicenseKey(undefined, EVENT);
    const second = await polar.validateLicenseKey(undefined, EVENT);
    for (const denial of [first, second]) {
      expect(denial).toMatchObject({ valid: false, code: "license_key_missing" });
      expect(denial.checkoutUrl).toBeUndefined();
      expect(denial.message).not.toMatch(URL_IN_MESSAGE);
    }
    expect(checkoutRequests).toBe(1);
    expect(lines).toEqual([
      [
        "paywall: checkout link not created",
        expect.objectContaining({ code: "checkout_unavailable", retryInMs: 30_000 }),
      ],
    ]);
    // getCheckoutUrl() itself says it failed (never an empty URL).
    await expect(polar.getCheckoutUrl()).rejects.toThrow();
  });

  it("validateLicenseKey(key) with one argument validates only: nothing is recorded", async () => {
    const f = createInstantFixture();
    const polar = f.provider();
    const result = await polar.validateLicenseKey(f.seed.licenseKey);
    expect(result).toMatchObject({
      valid: true,
      code: "license_key_valid",
      customerId: f.seed.customerId,
    });
    const again = await polar.validateLicenseKey(f.seed.licenseKey);
    expect(again.valid).toBe(true);
    await settled(polar);
    expect(await f.eventCount(f.seed.customerId)).toBe(0);
    expect(f.requests.filter((r) => r.includes("/v1/events/ingest"))).toEqual([]);
    // Still a validation: an unknown key and a key with no credits left are refused.
    expect((await polar.validateLicenseKey("DEMO-UNKNOWN")).code).toBe("license_key_not_granted");
    await f.ingest(f.seed.customerId, f.seed.credits);
    polar.refresh();
    await polar.invalidateCustomer(f.seed.customerId);
    expect((await polar.validateLicenseKey(f.seed.licenseKey)).code).toBe("meter_credit_exhausted");
  });

  it("at a zero balance every metered call is denied, whatever the event name", async () => {
    const f = createInstantFixture();
    const polar = f.provider();
    // An event the meter does not count is served (and costs nothing) while credits remain…
    const uncounted = { name: "not_metered", metadata: { tool_name: "greet" } };
    expect((await polar.validateLicenseKey(f.seed.licenseKey, uncounted)).valid).toBe(true);
    await f.ingest(f.seed.customerId, f.seed.credits);
    await polar.invalidateCustomer(f.seed.customerId);
    // …and refused at zero, like a counted one.
    const denied = await polar.validateLicenseKey(f.seed.licenseKey, uncounted);
    expect(denied).toMatchObject({ valid: false, code: "meter_credit_exhausted", balance: 0 });
    expect(denied.message).toMatch(/No credits left/);
    expect((await polar.validateLicenseKey(f.seed.licenseKey, EVENT)).code).toBe(
      "meter_credit_exhausted",
    );
    await settled(polar);
    expect(await f.eventCount(f.seed.customerId)).toBe(f.seed.credits);
  });

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a negative amount", -5],
  ])(
    "refuses an event with %s: not charged, not free, nothing left in the outbox",
    async (_, amount) => {
      const f = createFixture();
      const polar = f.provider();
      const result = await polar.validateLicenseKey(f.seed.licenseKey, {
        name: "tool_call",
        metadata: { tool_name: "greet", tokens: amount },
      });
      expect(result).toMatchObject({ valid: false, code: "license_key_error" });
      expect(result.message).toContain(`metadata.tokens is ${amount}`);
      expect(result.message).toMatch(/not run and not charged/);
      await settled(polar);
      expect(await f.eventCount(f.seed.customerId)).toBe(0);
      expect(f.requests.filter((r) => r.includes("/v1/events/ingest"))).toEqual([]);

      // A variable cost known only after the tool ran: refused at commit, the reservation freed.
      const authorization = await polar.authorize(f.seed.licenseKey, EVENT);
      expect(authorization.valid).toBe(true);
      const error = await authorization
        .commit({ name: "tool_call", metadata: { tokens: amount } })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(PaywallError);
      expect((error as PaywallError).code).toBe("invalid_usage_event");
      await settled(polar);
      expect(await f.eventCount(f.seed.customerId)).toBe(0);
      const next = await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(next).toMatchObject({ valid: true, balance: f.seed.credits - 1 });
    },
  );

  it("never throws: a transport failing with a non-Error is license_key_error, with no internal detail", async () => {
    const f = createFixture();
    const polar = f.provider({
      fetch: async () => {
        throw "socket hang up at /srv/app/node_modules/secret.js";
      },
    });
    const result = await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
    expect(result).toMatchObject({ valid: false, code: "license_key_error" });
    expect(result.message).not.toContain("/srv/app");
  });

  it("a denied call (revoked or expired key) is never recorded, once everything is shipped", async () => {
    const f = createFixture();
    const polar = f.provider();
    const revoked = await f.newCustomer();
    const expiring = await f.newCustomer();
    const record = await f.licenseKeyRecord(expiring.licenseKey);
    await f.api("PATCH", `/v1/license-keys/${record.id}`, {
      expires_at: new Date(Date.now() + 1500).toISOString(),
    });
    // Both keys are known (cached as valid) before they stop being valid.
    expect((await polar.validateLicenseKey(revoked.licenseKey, EVENT)).valid).toBe(true);
    expect((await polar.validateLicenseKey(expiring.licenseKey, EVENT)).valid).toBe(true);
    await settled(polar);
    await f.api("POST", "/__emulator/benefit-grants/revoke", {
      customer_id: revoked.customerId,
      benefit_id: f.seed.benefitIds.licenseKeys,
    });
    await polar.invalidateCustomer(revoked.customerId);
    // The cached key's own expires_at is enforced locally: poll with validation-only calls
    // (never charged) until it has passed.
    await vi.waitFor(
      async () =>
        expect((await polar.validateLicenseKey(expiring.licenseKey)).code).toBe(
          "license_key_expired",
        ),
      { timeout: 15_000, interval: 100 },
    );
    for (let i = 0; i < 3; i++) {
      expect((await polar.validateLicenseKey(revoked.licenseKey, EVENT)).code).toBe(
        "license_key_not_granted",
      );
      expect((await polar.validateLicenseKey(expiring.licenseKey, EVENT)).code).toBe(
        "license_key_expired",
      );
    }
    await settled(polar);
    expect(await f.eventCount(revoked.customerId)).toBe(1);
    expect(await f.eventCount(expiring.customerId)).toBe(1);
  });
});
