// Issue 15: standings read once and kept current by sweeps of Polar's list endpoints, with
// the request budget in front of Polar. Against the in-process emulator; every wait is on an
// observable outcome (a denial, a balance), never on a duration.
import { createEmulator } from "@polar-mcp/emulator";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PolarProvider } from "../src/provider/polar-provider.js";
import type { Configuration } from "../src/provider/config.js";

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

function setup(emulatorOptions: Parameters<typeof createEmulator>[0] = {}) {
  const emulator = createEmulator({ seed: "demo", ...emulatorOptions });
  const seed = emulator.seed!;
  const requests: string[] = [];
  const fetch: Fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    return emulator.fetch(request);
  };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await emulator.fetch(
      new Request(`http://emulator${path}`, {
        method,
        headers: {
          authorization: `Bearer ${seed.accessToken}`,
          "content-type": "application/json",
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  const providers: PolarProvider[] = [];
  const provider = (overrides: Partial<Configuration> = {}) => {
    const p = PolarProvider.getInstance({
      token: seed.accessToken,
      organizationId: seed.organizationId,
      productId: seed.productId,
      baseUrl: "http://emulator",
      fetch,
      outbox: ":memory:",
      sync: { revocationsMs: 50, grantsMs: 50, metersMs: 50, keysMs: 50 },
      budget: { requestsPerMinute: 6000, sweepsPerMinute: 3000 },
      ...overrides,
    });
    providers.push(p);
    return p;
  };
  async function newCustomer() {
    const customer = await api<{ id: string }>("POST", "/v1/customers/", {
      email: `c${Math.random().toString(36).slice(2)}@example.com`,
    });
    const grant = await api<{ properties: { license_key_id: string } }>(
      "POST",
      "/__emulator/benefit-grants",
      { customer_id: customer.id, benefit_id: seed.benefitIds.licenseKeys },
    );
    await api("POST", "/__emulator/benefit-grants", {
      customer_id: customer.id,
      benefit_id: seed.benefitIds.meterCredit,
    });
    const key = await api<{ id: string; key: string }>(
      "GET",
      `/v1/license-keys/${grant.properties.license_key_id}`,
    );
    return { customerId: customer.id, licenseKey: key.key, keyId: key.id };
  }
  const close = () => Promise.all(providers.map((p) => p.close()));
  return { emulator, seed, requests, fetch, api, provider, newCustomer, close };
}

const EVENT = { name: "tool_call", metadata: { tool_name: "t" } };

/** Polar's events of the customer, counted now (Polar inserts events synchronously). */
const liveEvents = async (t: ReturnType<typeof setup>, customerId: string) =>
  (
    await t.api<{ pagination: { total_count: number } }>(
      "GET",
      `/v1/events/?customer_id=${customerId}&name=tool_call&limit=1`,
    )
  ).pagination.total_count;
const count = (requests: string[], pattern: RegExp) =>
  requests.filter((r) => pattern.test(r)).length;

let cleanup: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe("standings kept current without per-customer polling", () => {
  it("knows the keys of the product from a bulk read at start, and reads each customer once", async () => {
    const t = setup();
    cleanup = t.close;
    const { createEngine } = await import("../src/engine/create-engine.js");
    const { createPolarApi } = await import("../src/polar/polar-api.js");
    const { CheckoutUrls } = await import("../src/checkout/checkout-urls.js");
    const before = await Promise.all(Array.from({ length: 5 }, () => t.newCustomer()));
    const config: Configuration = {
      token: t.seed.accessToken,
      organizationId: t.seed.organizationId,
      productId: t.seed.productId,
      baseUrl: "http://emulator",
      fetch: t.fetch,
      outbox: ":memory:",
    };
    const api = createPolarApi({
      accessToken: config.token,
      baseUrl: "http://emulator",
      fetch: t.fetch,
    });
    const engine = createEngine(config, {
      api,
      checkout: new CheckoutUrls(api, config.productId),
      logger: { warn: () => {}, error: () => {} },
    });
    cleanup = async () => {
      await engine.close();
      await t.close();
    };
    await vi.waitFor(() => expect(engine.sweeper?.completed.warm).toBe(1), {
      timeout: 10_000,
      interval: 10,
    });
    const call = async (key: string) => {
      const a = await engine.authorize(key, EVENT);
      expect(a.code).toBe("license_key_valid");
      await a.commit();
    };
    for (let round = 0; round < 3; round++) for (const c of before) await call(c.licenseKey);
    // Keys known from the bulk read; balances read live once per customer (Polar's meters lag).
    expect(count(t.requests, /license-keys\/validate/)).toBe(0);
    expect(count(t.requests, /customers\/.*\/state/)).toBe(before.length);

    const after = await Promise.all(Array.from({ length: 3 }, () => t.newCustomer()));
    for (let round = 0; round < 3; round++) for (const c of after) await call(c.licenseKey);
    expect(count(t.requests, /license-keys\/validate/)).toBe(after.length);
    expect(count(t.requests, /customers\/.*\/state/)).toBe(before.length + after.length);
    await engine.flush();
    // Nothing was counted twice: Polar holds one event per call, and the balances agree
    // with Polar's events (its customer meter is recomputed later, as Polar's).
    for (const c of [...before, ...after]) {
      const meters = await t.api<{ items: { credited_units: number }[] }>(
        "GET",
        `/v1/customer-meters/?customer_id=${c.customerId}`,
      );
      const events = await liveEvents(t, c.customerId);
      expect(events).toBe(3);
      const a = await engine.authorize(c.licenseKey, EVENT);
      a.release();
      expect(a.balance).toBe(meters.items[0]!.credited_units - events - 1);
    }
  });

  it("a key revoked in Polar (no webhook) is refused once the revocation sweep saw it", async () => {
    const t = setup();
    cleanup = t.close;
    // Only the revocation sweep runs after start-up: the grants and keys sweeps would see the
    // same revocation, and whichever ran first would decide which sweep the test proves.
    const polar = t.provider({
      sync: { revocationsMs: 50, grantsMs: 3_600_000, metersMs: 3_600_000, keysMs: 3_600_000 },
    });
    const c = await t.newCustomer();
    expect((await polar.validateLicenseKey(c.licenseKey, EVENT)).code).toBe("license_key_valid");
    await t.api("POST", "/__emulator/benefit-grants/revoke", {
      customer_id: c.customerId,
      benefit_id: t.seed.benefitIds.licenseKeys,
    });
    await vi.waitFor(
      async () => {
        const r = await polar.validateLicenseKey(c.licenseKey, EVENT);
        expect(r.code).toBe("license_key_not_granted");
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(count(t.requests, /license-keys\/\?.*status=revoked/)).toBeGreaterThan(0);
  });

  it("a key disabled in Polar (Polar sends no webhook for it) is refused after a sweep", async () => {
    const t = setup();
    cleanup = t.close;
    const polar = t.provider();
    const c = await t.newCustomer();
    expect((await polar.validateLicenseKey(c.licenseKey, EVENT)).valid).toBe(true);
    await t.api("PATCH", `/v1/license-keys/${c.keyId}`, { status: "disabled" });
    await vi.waitFor(
      async () =>
        expect((await polar.validateLicenseKey(c.licenseKey, EVENT)).code).toBe(
          "license_key_not_granted",
        ),
      { timeout: 10_000, interval: 20 },
    );
  });

  it("a usage limit set on the key in Polar is enforced after the key sweep", async () => {
    const t = setup();
    cleanup = t.close;
    const polar = t.provider();
    const c = await t.newCustomer();
    for (let i = 0; i < 3; i++)
      expect((await polar.validateLicenseKey(c.licenseKey, EVENT)).valid).toBe(true);
    await polar.flush();
    await t.api("PATCH", `/v1/license-keys/${c.keyId}`, { limit_usage: 1, usage: 1 });
    await vi.waitFor(
      async () =>
        expect((await polar.validateLicenseKey(c.licenseKey, EVENT)).code).toBe(
          "license_key_usage_limit_reached",
        ),
      { timeout: 10_000, interval: 20 },
    );
  });

  it("credits taken away (grant revoked, no webhook) deny after the grant sweep", async () => {
    const t = setup();
    cleanup = t.close;
    const polar = t.provider();
    const c = await t.newCustomer();
    expect((await polar.validateLicenseKey(c.licenseKey, EVENT)).valid).toBe(true);
    await t.api("POST", "/__emulator/benefit-grants/revoke", {
      customer_id: c.customerId,
      benefit_id: t.seed.benefitIds.meterCredit,
    });
    await vi.waitFor(
      async () =>
        expect((await polar.validateLicenseKey(c.licenseKey, EVENT)).code).toBe(
          "meter_credit_exhausted",
        ),
      { timeout: 10_000, interval: 20 },
    );
  });

  it(
    "usage another client sent for the customer is counted after the meter sweep, ours never twice",
    { timeout: 60_000 },
    async () => {
      const t = setup();
      cleanup = t.close;
      const polar = t.provider();
      const c = await t.newCustomer();
      const first = await polar.validateLicenseKey(c.licenseKey, EVENT);
      const credits = first.balance! + 1;
      for (let i = 0; i < 9; i++) await polar.validateLicenseKey(c.licenseKey, EVENT);
      await polar.flush();
      // Another client of the same meter: 30 events the paywall never saw. Polar recomputes
      // the customer meter 15 s after the customer's last event (its debounced job).
      await t.api("POST", "/v1/events/ingest", {
        events: Array.from({ length: 30 }, () => ({ ...EVENT, customer_id: c.customerId })),
      });
      t.emulator.clock.advance(16_000);
      await vi.waitFor(
        async () => {
          // A probe that charges nothing: authorized, then released.
          const probe = await polar.authorize(c.licenseKey, EVENT);
          probe.release();
          expect(probe.balance).toBe(credits - 10 - 30 - 1);
        },
        { timeout: 30_000, interval: 20 },
      );
      await polar.flush();
      const events = await liveEvents(t, c.customerId);
      const last = await polar.validateLicenseKey(c.licenseKey, EVENT);
      expect(last.balance).toBe(credits - events - 1);
    },
  );
});

describe("webhooks without chores", () => {
  it("a handler given its public URL registers its endpoint in Polar; a revocation it delivers is refused at once", async () => {
    const { createServer } = await import("node:http");
    const { toNodeHandler } = await import("../src/webhooks/node-handler.js");
    const t = setup();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    cleanup = async () => {
      await t.close();
      await new Promise((resolve) => server.close(resolve));
    };
    // Sweeps far apart: only the webhook can tell the paywall in time.
    const slow = {
      revocationsMs: 3_600_000,
      grantsMs: 3_600_000,
      metersMs: 3_600_000,
      keysMs: 3_600_000,
    };
    const polar = t.provider({ sync: slow });
    const publicUrl = `http://127.0.0.1:${port}/polar/webhooks`;
    const onWebhook = toNodeHandler(polar.webhookHandler({ publicUrl }));
    const delivered: string[] = [];
    server.on("request", (req, res) => {
      delivered.push(req.url ?? "");
      void onWebhook(req, res);
    });
    const endpoints = async () =>
      (await t.api<{ items: { url: string; events: string[] }[] }>("GET", "/v1/webhooks/endpoints"))
        .items;
    await vi.waitFor(
      async () => expect((await endpoints()).map((e) => e.url)).toContain(publicUrl),
      {
        timeout: 10_000,
        interval: 20,
      },
    );
    expect((await endpoints())[0]!.events).toContain("benefit_grant.revoked");

    const c = await t.newCustomer();
    expect((await polar.validateLicenseKey(c.licenseKey, EVENT)).valid).toBe(true);
    await t.api("POST", "/__emulator/benefit-grants/revoke", {
      customer_id: c.customerId,
      benefit_id: t.seed.benefitIds.meterCredit,
    });
    await vi.waitFor(
      async () =>
        expect((await polar.validateLicenseKey(c.licenseKey, EVENT)).code).toBe(
          "meter_credit_exhausted",
        ),
      { timeout: 10_000, interval: 20 },
    );
    expect(delivered.length).toBeGreaterThan(0);
  });
});
