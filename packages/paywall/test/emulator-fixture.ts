import { createEmulator, type Emulator, type EmulatorOptions } from "@polar-mcp/emulator";
import { PolarProvider, type Configuration } from "../src/index.js";

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export type Delivery = "background" | "direct";

/**
 * An in-process emulator with the demo seed, and a Polar API caller for test set-up.
 * Providers use `delivery` (background: in-memory outbox) unless a test overrides it.
 */
export function createFixture(
  delivery: Delivery = "background",
  emulatorOptions: EmulatorOptions = {},
) {
  const emulator: Emulator = createEmulator({ seed: "demo", ...emulatorOptions });
  const seed = emulator.seed!;
  /** Every request the paywall sent, as "METHOD /path". */
  const requests: string[] = [];
  const fetch: Fetch = async (input, init) => {
    const request = new Request(input, init);
    requests.push(`${request.method} ${new URL(request.url).pathname}`);
    return emulator.fetch(request);
  };

  async function api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
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
  }

  function provider(overrides: Partial<Configuration> = {}): PolarProvider {
    return PolarProvider.getInstance({
      token: seed.accessToken,
      organizationId: seed.organizationId,
      productId: seed.productId,
      baseUrl: "http://emulator",
      fetch,
      delivery,
      outbox: ":memory:",
      ...overrides,
    });
  }

  async function licenseKeyRecord(key: string): Promise<{ id: string; usage: number }> {
    const list = await api<{ items: { id: string; key: string; usage: number }[] }>(
      "GET",
      "/v1/license-keys/?limit=100",
    );
    const found = list.items.find((k) => k.key === key);
    if (!found) throw new Error("license key not found");
    return found;
  }

  async function ingest(
    customerId: string,
    count: number,
    name = "tool_call",
    metadata: Record<string, unknown> = {},
  ) {
    const events = Array.from({ length: count }, () => ({
      name,
      customer_id: customerId,
      metadata,
    }));
    return api("POST", "/v1/events/ingest", { events });
  }

  async function eventCount(customerId: string, name = "tool_call"): Promise<number> {
    const page = await api<{ pagination: { total_count: number } }>(
      "GET",
      `/v1/events/?customer_id=${customerId}&name=${name}&limit=1`,
    );
    return page.pagination.total_count;
  }

  /** A new customer holding the demo product's benefits (a key and, unless told, credits). */
  async function newCustomer(options: { credits?: boolean } = {}) {
    const customer = await api<{ id: string }>("POST", "/v1/customers/", {
      email: `c${Math.random().toString(36).slice(2)}@example.com`,
      name: "Second Customer",
    });
    const grant = await api<{ properties: { license_key_id?: string } }>(
      "POST",
      "/__emulator/benefit-grants",
      {
        customer_id: customer.id,
        benefit_id: seed.benefitIds.licenseKeys,
      },
    );
    if (options.credits !== false) {
      await api("POST", "/__emulator/benefit-grants", {
        customer_id: customer.id,
        benefit_id: seed.benefitIds.meterCredit,
      });
    }
    const key = await api<{ key: string }>(
      "GET",
      `/v1/license-keys/${grant.properties.license_key_id}`,
    );
    return { customerId: customer.id, licenseKey: key.key };
  }

  return {
    emulator,
    seed,
    fetch,
    requests,
    api,
    provider,
    licenseKeyRecord,
    ingest,
    eventCount,
    newCustomer,
  };
}
