// The seven result codes, each from a real state of the emulator, and a test for every
// weakness of the original plugin that would fail on its behaviour.
import { describe, expect, it } from "vitest";
import type { PaywallLogger } from "../src/index.js";
import { createFixture as createFixtureFor, type Delivery } from "./emulator-fixture.js";

const EVENT = { name: "tool_call", metadata: { tool_name: "greet" } };

// Both deliveries must decide alike; "background" ships usage later, so counts follow a flush.
describe.each<Delivery>(["background", "direct"])("%s delivery", (delivery) => {
  const createFixture = () => createFixtureFor(delivery);
  // For tests that read a balance right after usage: the emulator's default is Polar's
  // recompute debounced 15 s after ingestion, which these tests are not about.
  const createInstantFixture = () => createFixtureFor(delivery, { instantBalances: true });

  describe("validateLicenseKey: the seven codes", () => {
    it("license_key_valid for the demo key, and the usage event lands on its customer", async () => {
      const f = createFixture();
      const polar = f.provider();
      const result = await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(result).toMatchObject({
        valid: true,
        code: "license_key_valid",
        customerId: f.seed.customerId,
        balance: 99,
      });
      await polar.flush();
      expect(await f.eventCount(f.seed.customerId)).toBe(1);
    });

    it("license_key_missing without a key, saying which header to send", async () => {
      const f = createFixture();
      for (const key of [undefined, "", "   "]) {
        const result = await f.provider().validateLicenseKey(key, EVENT);
        expect(result).toMatchObject({ valid: false, code: "license_key_missing" });
        expect(result.message).toContain("license-key");
      }
    });

    it("license_key_not_granted for an unknown key (not license_key_error)", async () => {
      const f = createFixture();
      const result = await f
        .provider()
        .validateLicenseKey("DEMO-6F0E6A83-4C36-4C5B-9B0B-1F2E3D4C5B6A", EVENT);
      expect(result).toMatchObject({ valid: false, code: "license_key_not_granted" });
    });

    it("license_key_not_granted once the license benefit is revoked", async () => {
      const f = createFixture();
      await f.api("POST", "/__emulator/benefit-grants/revoke", {
        customer_id: f.seed.customerId,
        benefit_id: f.seed.benefitIds.licenseKeys,
      });
      const polar = f.provider();
      const result = await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(result).toMatchObject({ valid: false, code: "license_key_not_granted" });
      // Not charged: counted once nothing is left to ship.
      await polar.flush();
      expect(polar.pendingEvents()).toBe(0);
      expect(await f.eventCount(f.seed.customerId)).toBe(0);
    });

    it("license_key_usage_limit_reached when the key's usage limit is used up", async () => {
      const f = createFixture();
      const record = await f.licenseKeyRecord(f.seed.licenseKey);
      await f.api("PATCH", `/v1/license-keys/${record.id}`, { limit_usage: 2 });
      const polar = f.provider();
      expect((await polar.validateLicenseKey(f.seed.licenseKey, EVENT)).valid).toBe(true);
      expect((await polar.validateLicenseKey(f.seed.licenseKey, EVENT)).valid).toBe(true);
      const third = await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(third).toMatchObject({ valid: false, code: "license_key_usage_limit_reached" });
      expect(third.message).toMatch(/2 allowed calls/);
      await polar.flush();
      expect((await f.licenseKeyRecord(f.seed.licenseKey)).usage).toBe(2);
      expect(await f.eventCount(f.seed.customerId)).toBe(2);
    });

    it("license_key_expired once the key is past its expiry", async () => {
      const f = createFixture();
      const record = await f.licenseKeyRecord(f.seed.licenseKey);
      await f.api("PATCH", `/v1/license-keys/${record.id}`, { expires_at: "2024-01-01T00:00:00Z" });
      const result = await f.provider().validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(result).toMatchObject({ valid: false, code: "license_key_expired" });
    });

    it("meter_credit_exhausted when the credits are used up, with the balance", async () => {
      const f = createInstantFixture();
      await f.ingest(f.seed.customerId, f.seed.credits);
      const polar = f.provider();
      const result = await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(result).toMatchObject({ valid: false, code: "meter_credit_exhausted", balance: 0 });
      expect(result.message).toMatch(/No credits left/);
      await polar.flush();
      expect(polar.pendingEvents()).toBe(0);
      expect(await f.eventCount(f.seed.customerId)).toBe(f.seed.credits);
    });

    it("license_key_error when Polar is unreachable, and nothing is charged", async () => {
      const f = createFixture();
      const polar = f.provider({
        fetch: async () => {
          throw new TypeError("fetch failed: connect ECONNREFUSED");
        },
      });
      const result = await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(result).toMatchObject({ valid: false, code: "license_key_error" });
      expect(result.message).toMatch(/unreachable/);
      // Nothing was accepted, so nothing waits to be shipped (Polar is unreachable here).
      expect(polar.pendingEvents()).toBe(0);
      expect(await f.eventCount(f.seed.customerId)).toBe(0);
    });
  });

  describe("the original plugin's weaknesses, avoided", () => {
    it("concurrent calls of two customers bill each customer exactly (no per-call state on the singleton)", async () => {
      const f = createFixture();
      const other = await f.newCustomer();
      const polar = f.provider();
      const calls = Array.from({ length: 200 }, (_, i) =>
        polar.validateLicenseKey(i % 2 === 0 ? f.seed.licenseKey : other.licenseKey, EVENT),
      );
      const results = await Promise.all(calls);
      await polar.flush();
      results.forEach((result, i) => {
        expect(result.valid).toBe(true);
        expect(result.customerId).toBe(i % 2 === 0 ? f.seed.customerId : other.customerId);
      });
      expect(await f.eventCount(f.seed.customerId)).toBe(100);
      expect(await f.eventCount(other.customerId)).toBe(100);
    });

    it("a key of another product of the same organization is not granted here", async () => {
      const f = createFixture();
      const benefit = await f.api<{ id: string }>("POST", "/v1/benefits/", {
        type: "license_keys",
        description: "Other product key",
        properties: { prefix: "OTHER", expires: null, activations: null, limit_usage: null },
      });
      const grant = await f.api<{ properties: { license_key_id: string } }>(
        "POST",
        "/__emulator/benefit-grants",
        {
          customer_id: f.seed.customerId,
          benefit_id: benefit.id,
        },
      );
      const otherKey = await f.api<{ key: string }>(
        "GET",
        `/v1/license-keys/${grant.properties.license_key_id}`,
      );
      const result = await f.provider().validateLicenseKey(otherKey.key, EVENT);
      expect(result).toMatchObject({ valid: false, code: "license_key_not_granted" });
    });

    it("uses the meter of the benefit's properties.meter_id, not whichever meter has credits", async () => {
      const f = createInstantFixture();
      const otherMeter = await f.api<{ id: string }>("POST", "/v1/meters/", {
        name: "other_call",
        filter: {
          conjunction: "and",
          clauses: [{ property: "name", operator: "eq", value: "other_call" }],
        },
        aggregation: { func: "count" },
      });
      const otherCredits = await f.api<{ id: string }>("POST", "/v1/benefits/", {
        type: "meter_credit",
        description: "Other credits",
        properties: { meter_id: otherMeter.id, units: 50, rollover: false },
      });
      await f.api("POST", "/__emulator/benefit-grants", {
        customer_id: f.seed.customerId,
        benefit_id: otherCredits.id,
      });
      await f.ingest(f.seed.customerId, f.seed.credits);
      const result = await f.provider().validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(result).toMatchObject({ valid: false, code: "meter_credit_exhausted", balance: 0 });
    });

    it("a customer without the credits benefit gets no use at all", async () => {
      const f = createFixture();
      const noCredits = await f.newCustomer({ credits: false });
      const result = await f.provider().validateLicenseKey(noCredits.licenseKey, EVENT);
      expect(result).toMatchObject({ valid: false, code: "meter_credit_exhausted" });
      expect(result.message).toMatch(/no credits for this product/);
    });

    it("checks the balance against what the call costs (sum meters)", async () => {
      const f = createFixture();
      const meter = await f.api<{ id: string }>("POST", "/v1/meters/", {
        name: "llm_tokens",
        filter: {
          conjunction: "and",
          clauses: [{ property: "name", operator: "eq", value: "llm" }],
        },
        aggregation: { func: "sum", property: "metadata.tokens" },
      });
      const credits = await f.api<{ id: string }>("POST", "/v1/benefits/", {
        type: "meter_credit",
        description: "30 tokens",
        properties: { meter_id: meter.id, units: 30, rollover: false },
      });
      await f.api("POST", `/v1/products/${f.seed.productId}/benefits`, {
        benefits: [f.seed.benefitIds.licenseKeys, credits.id],
      });
      await f.api("POST", "/__emulator/benefit-grants", {
        customer_id: f.seed.customerId,
        benefit_id: credits.id,
      });
      const polar = f.provider();
      polar.refresh();
      const tooDear = await polar.validateLicenseKey(f.seed.licenseKey, {
        name: "llm",
        metadata: { tokens: 50 },
      });
      expect(tooDear).toMatchObject({ valid: false, code: "meter_credit_exhausted", balance: 30 });
      expect(tooDear.message).toMatch(/costs 50/);
      const affordable = await polar.validateLicenseKey(f.seed.licenseKey, {
        name: "llm",
        metadata: { tokens: 20 },
      });
      expect(affordable).toMatchObject({ valid: true, balance: 10 });
    });

    const failingIngest = (f: ReturnType<typeof createFixture>, failing: () => boolean) =>
      f.provider({
        fetch: async (input, init) => {
          const request = new Request(input, init);
          if (failing() && new URL(request.url).pathname.startsWith("/v1/events/ingest"))
            return new Response("", { status: 503 });
          return f.emulator.fetch(request);
        },
      });

    if (delivery === "direct") {
      it("a failed ingestion is an error, not a silent pass", async () => {
        const f = createFixture();
        const result = await failingIngest(f, () => true).validateLicenseKey(
          f.seed.licenseKey,
          EVENT,
        );
        expect(result).toMatchObject({ valid: false, code: "license_key_error" });
        expect(result.message).toMatch(/not charged/);
      });
    } else {
      it("a failed ingestion waits in the outbox and is shipped once Polar takes it", async () => {
        const f = createFixture();
        let failing = true;
        const polar = failingIngest(f, () => failing);
        const result = await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
        expect(result).toMatchObject({ valid: true, balance: 99 });
        await expect(polar.flush(200)).rejects.toThrow(/waiting for Polar/);
        expect(polar.pendingEvents()).toBe(1);
        expect(await f.eventCount(f.seed.customerId)).toBe(0);
        failing = false;
        await polar.flush(30_000);
        expect(polar.pendingEvents()).toBe(0);
        expect(await f.eventCount(f.seed.customerId)).toBe(1);
      });
    }

    it("creates no checkout for valid calls; a denial's checkout is for that customer", async () => {
      const f = createInstantFixture();
      const polar = f.provider();
      for (let i = 0; i < 5; i++)
        expect((await polar.validateLicenseKey(f.seed.licenseKey, EVENT)).valid).toBe(true);
      expect(f.requests.filter((r) => r.includes("/v1/checkout"))).toEqual([]);

      const bodies: unknown[] = [];
      const watching = f.provider({
        fetch: async (input, init) => {
          const request = new Request(input, init);
          if (new URL(request.url).pathname.startsWith("/v1/checkouts"))
            bodies.push(await request.clone().json());
          return f.emulator.fetch(request);
        },
      });
      await f.ingest(f.seed.customerId, f.seed.credits);
      await watching.validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(bodies).toEqual([
        expect.objectContaining({ customer_id: f.seed.customerId, products: [f.seed.productId] }),
      ]);
    });

    it("logs ids and codes only: no emails, names or keys", async () => {
      const f = createInstantFixture();
      const lines: string[] = [];
      const logger: PaywallLogger = {
        warn: (m, fields) => lines.push(JSON.stringify([m, fields])),
        error: (m, fields) => lines.push(JSON.stringify([m, fields])),
      };
      const failing = f.provider({
        logger,
        // Per-customer reads, so the failing state read below happens on this call.
        sync: { enabled: false },
        fetch: async (input, init) => {
          const request = new Request(input, init);
          if (new URL(request.url).pathname.includes("/state"))
            return new Response("", { status: 500 });
          return f.emulator.fetch(request);
        },
      });
      await failing.validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(lines.length).toBeGreaterThan(0);
      const logged = lines.join("\n");
      expect(logged).not.toContain("demo@example.com");
      expect(logged).not.toContain("Demo Customer");
      expect(logged).not.toContain(f.seed.licenseKey);
    });
  });
});
