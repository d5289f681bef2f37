import { describe, expect, it } from "vitest";
import { findLicenseKey } from "../src/adapters/core/license-key-source.js";
import { costOf, type CreditPlan } from "../src/provider/product-plan.js";
import { CachedValue } from "../src/provider/single-flight.js";
import { PaywallError, PolarProvider } from "../src/index.js";

const credit = (
  aggregation: CreditPlan["aggregation"],
  eventNames: string[] | null = null,
): CreditPlan => ({
  benefitId: "b",
  meterId: "m",
  units: 100,
  aggregation,
  eventNames,
});

describe("findLicenseKey", () => {
  it("prefers the license-key header, then Authorization: Bearer, then _meta, then (stdio) the env var", () => {
    const http = { transport: "http" } as const;
    expect(
      findLicenseKey({ ...http, headers: { "license-key": " K1 ", authorization: "Bearer K2" } }),
    ).toBe("K1");
    expect(findLicenseKey({ ...http, headers: { authorization: "Bearer K2" } })).toBe("K2");
    expect(findLicenseKey({ ...http, headers: {}, meta: { "license-key": "K3" } })).toBe("K3");
    process.env.TEST_POLAR_KEY = "K4";
    expect(findLicenseKey({ transport: "stdio" }, { envVar: "TEST_POLAR_KEY" })).toBe("K4");
    delete process.env.TEST_POLAR_KEY;
    expect(findLicenseKey({ transport: "stdio" }, { envVar: "TEST_POLAR_KEY" })).toBeUndefined();
  });

  it("never applies the env var (the server's own key) to an HTTP request", () => {
    process.env.TEST_POLAR_KEY = "SERVER-KEY";
    try {
      expect(
        findLicenseKey({ transport: "http", headers: {} }, { envVar: "TEST_POLAR_KEY" }),
      ).toBeUndefined();
      expect(findLicenseKey({ transport: "stdio" }, { envVar: "TEST_POLAR_KEY" })).toBe(
        "SERVER-KEY",
      );
    } finally {
      delete process.env.TEST_POLAR_KEY;
    }
  });

  it("reads a configured header from web Headers too", () => {
    expect(
      findLicenseKey(
        { transport: "http", headers: new Headers({ "x-api-key": "K5" }) },
        { header: "X-Api-Key" },
      ),
    ).toBe("K5");
  });
});

describe("costOf", () => {
  it("charges 1 per event on a count meter, and nothing for events the meter does not count", () => {
    expect(costOf({ name: "tool_call" }, credit({ func: "count" }, ["tool_call"]))).toBe(1);
    expect(costOf({ name: "other" }, credit({ func: "count" }, ["tool_call"]))).toBe(0);
  });

  it("charges the summed property on a sum meter", () => {
    const meter = credit({ func: "sum", property: "metadata.tokens" });
    expect(costOf({ name: "llm", metadata: { tokens: 250 } }, meter)).toBe(250);
    expect(costOf({ name: "llm", metadata: { tokens: "250" } }, meter)).toBe(0);
  });
});

describe("CachedValue", () => {
  it("shares one in-flight load between concurrent callers and does not cache failures", async () => {
    let loads = 0;
    let fail = true;
    const value = new CachedValue(async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error("down");
      return loads;
    }, 60_000);
    await expect(Promise.all([value.get(), value.get()])).rejects.toThrow("down");
    expect(loads).toBe(1);
    fail = false;
    expect(await Promise.all([value.get(), value.get(), value.get()])).toEqual([2, 2, 2]);
    expect(loads).toBe(2);
  });
});

describe("PolarProvider.getInstance", () => {
  const config = {
    token: "polar_oat_x",
    organizationId: "org",
    productId: "prod",
    baseUrl: "http://127.0.0.1:1",
  };

  it("returns one instance per configuration", () => {
    expect(PolarProvider.getInstance(config)).toBe(PolarProvider.getInstance({ ...config }));
    expect(PolarProvider.getInstance(config)).not.toBe(
      PolarProvider.getInstance({ ...config, productId: "other" }),
    );
  });

  it("rejects a configuration without token, organizationId or productId", () => {
    expect(() => PolarProvider.getInstance({ ...config, token: "" })).toThrow(PaywallError);
    expect(() => PolarProvider.getInstance({ ...config, productId: " " })).toThrow(/productId/);
  });

  it("reports Polar being unreachable as license_key_error, never a throw", async () => {
    const polar = PolarProvider.getInstance({ ...config, productId: "unreachable" });
    const result = await polar.validateLicenseKey("KEY", { name: "tool_call" });
    expect(result).toMatchObject({ valid: false, code: "license_key_error" });
    expect(result.message).toMatch(/unavailable/);
  });
});
