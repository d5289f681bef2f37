// Background delivery's building blocks and options: single flight and negative caching,
// the circuit breaker, variable costs trued up at commit, session spend caps, and the
// number of Polar requests a warm call costs (none).
import { PolarRateLimitError } from "@polar-sh/sdk";
import { describe, expect, it } from "vitest";
import { SwrCache } from "../src/cache/swr-cache.js";
import { CircuitBreaker } from "../src/shipper/circuit-breaker.js";
import { IoGate } from "../src/shipper/io-gate.js";
import { PaywallError } from "../src/index.js";
import { createFixture } from "./emulator-fixture.js";

const EVENT = { name: "tool_call", metadata: { tool_name: "greet" } };

describe("SwrCache", () => {
  it("shares one load between concurrent misses, serves fresh values without loading, and caches denials briefly", async () => {
    let now = 0;
    let loads = 0;
    const cache = new SwrCache(
      async (key: string) => {
        loads += 1;
        await new Promise((r) => setTimeout(r, 5));
        return key.startsWith("bad") ? "denied" : "granted";
      },
      { ttlMs: 1000, refreshAheadMs: 200, graceMs: 0, now: () => now },
      (value) => (value === "denied" ? 100 : 1000),
    );
    expect(await Promise.all([cache.get("k", false), cache.get("k", false)])).toEqual([
      "granted",
      "granted",
    ]);
    expect(loads).toBe(1);
    expect(cache.peek("k")).toBe("granted");
    await cache.get("bad", false);
    now = 150;
    expect(cache.peek("bad")).toBeUndefined();
    expect(cache.peek("k")).toBe("granted");
    now = 850; // inside refresh-ahead: served, and reloaded in the background
    expect(cache.peek("k")).toBe("granted");
    expect(loads).toBe(3);
  });

  it("an invalidation of the key during its load reads it again; one of another key keeps the load", async () => {
    const releases: (() => void)[] = [];
    let loads = 0;
    const cache = new SwrCache(
      (key: string) => {
        const value = `${key}-${++loads}`;
        return new Promise<string>((resolve) => releases.push(() => resolve(value)));
      },
      { ttlMs: 1000, refreshAheadMs: 0, graceMs: 0 },
    );
    const pending = cache.get("k", false);
    cache.invalidate((key) => key === "k");
    releases.shift()!();
    // What the first load read may predate the change: it is read again.
    await expect.poll(() => releases.length).toBe(1);
    releases.shift()!();
    expect(await pending).toBe("k-2");
    expect(cache.peek("k")).toBe("k-2");
    // Another key's invalidation does not throw this load away.
    const other = cache.get("j", false);
    cache.invalidate((key) => key === "k");
    releases.shift()!();
    expect(await other).toBe("j-3");
    expect(cache.peek("j")).toBe("j-3");
    expect(cache.peek("k")).toBeUndefined();
    expect(loads).toBe(3);
  });
});

describe("CircuitBreaker", () => {
  it("opens after repeated failures, honours Retry-After, and closes on success", () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000, now: () => now });
    const down = new PaywallError("polar_unavailable", "down");
    breaker.failure(down);
    expect(breaker.closed).toBe(true);
    breaker.failure(down);
    expect(breaker.closed).toBe(false);
    now = 1000;
    expect(breaker.closed).toBe(true);
    breaker.success();
    breaker.failure(new PolarRateLimitError(429, 7));
    expect(breaker.closed).toBe(false);
    expect(breaker.retryAt).toBe(now + 7000);
  });
});

describe("background delivery", () => {
  it("a warm paid call sends no request to Polar; 50 calls ship in one batch", async () => {
    const f = createFixture();
    const polar = f.provider({ batch: { size: 1000, intervalMs: 3_600_000 } });
    await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
    await polar.flush();
    const warm = f.requests.length;
    for (let i = 0; i < 50; i++) await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
    expect(f.requests.length).toBe(warm);
    await polar.flush();
    expect(f.requests.slice(warm)).toEqual(["POST /v1/events/ingest"]);
  });

  it("variable costs: reserves the estimate, charges the actual units at commit", async () => {
    const f = createFixture();
    const meter = await f.api<{ id: string }>("POST", "/v1/meters/", {
      name: "llm_tokens",
      filter: { conjunction: "and", clauses: [{ property: "name", operator: "eq", value: "llm" }] },
      aggregation: { func: "sum", property: "metadata.tokens" },
    });
    const credits = await f.api<{ id: string }>("POST", "/v1/benefits/", {
      type: "meter_credit",
      description: "1000 tokens",
      properties: { meter_id: meter.id, units: 1000, rollover: false },
    });
    await f.api("POST", `/v1/products/${f.seed.productId}/benefits`, {
      benefits: [f.seed.benefitIds.licenseKeys, credits.id],
    });
    await f.api("POST", "/__emulator/benefit-grants", {
      customer_id: f.seed.customerId,
      benefit_id: credits.id,
    });
    const polar = f.provider();
    const estimate = await polar.authorize(f.seed.licenseKey, {
      name: "llm",
      metadata: { tokens: 500 },
    });
    expect(estimate).toMatchObject({ valid: true, balance: 500 });
    await estimate.commit({ name: "llm", metadata: { tokens: 120 } });
    const next = await polar.authorize(f.seed.licenseKey, {
      name: "llm",
      metadata: { tokens: 100 },
    });
    expect(next).toMatchObject({ valid: true, balance: 780 });
    next.release();
    await polar.flush();
    await polar.invalidateCustomer(f.seed.customerId);
    const reloaded = await polar.authorize(f.seed.licenseKey, {
      name: "llm",
      metadata: { tokens: 80 },
    });
    expect(reloaded).toMatchObject({ valid: true, balance: 800 });
  });

  it("session spend cap: a session stops at its cap, another session goes on", async () => {
    const f = createFixture();
    const polar = f.provider({ sessionSpendCap: 3 });
    const inSession = async (sessionId: string) => {
      const a = await polar.authorize(f.seed.licenseKey, EVENT, { sessionId });
      if (a.valid) await a.commit();
      return a;
    };
    for (let i = 0; i < 3; i++) expect((await inSession("s1")).valid).toBe(true);
    expect(await inSession("s1")).toMatchObject({ valid: false, code: "meter_credit_exhausted" });
    expect((await inSession("s2")).valid).toBe(true);
  });

  it("failMode open serves a known customer from its last standing while Polar is down; closed refuses", async () => {
    for (const failMode of ["open", "closed"] as const) {
      const f = createFixture();
      let down = false;
      const polar = f.provider({
        failMode,
        cache: { ttlMs: 1, refreshAheadMs: 0 },
        fetch: async (input, init) => {
          if (down) throw new TypeError("fetch failed");
          return f.emulator.fetch(new Request(input, init));
        },
      });
      expect((await polar.validateLicenseKey(f.seed.licenseKey, EVENT)).valid).toBe(true);
      down = true;
      await new Promise((r) => setTimeout(r, 5));
      const during = await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
      expect(during.valid).toBe(failMode === "open");
      if (failMode === "closed") expect(during.code).toBe("license_key_error");
      const unknown = await polar.validateLicenseKey("UNKNOWN-KEY", EVENT);
      expect(unknown.code).toBe("license_key_error");
      expect(polar.pendingEvents()).toBe(failMode === "open" ? 2 : 1);
    }
  });
});

describe("IoGate", () => {
  it("a waiting batch goes before reads that arrive after it (overlapping reads cannot starve ingestion)", async () => {
    const gate = new IoGate();
    const order: string[] = [];
    let endFirstRead: () => void = () => {};
    const first = gate.read(
      () =>
        new Promise<void>((resolve) => (endFirstRead = () => (order.push("read 1"), resolve()))),
    );
    await new Promise((resolve) => setTimeout(resolve, 0)); // the first read is inside
    const batch = gate.write(async () => void order.push("batch"));
    const second = gate.read(async () => void order.push("read 2"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    endFirstRead();
    await Promise.all([first, batch, second]);
    expect(order).toEqual(["read 1", "batch", "read 2"]);
  });
});
