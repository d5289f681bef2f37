import { createRequire } from "node:module";
import { startEmulator } from "@polar-mcp/emulator";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { BrowserContext } from "playwright-core";

/** The third-party server put behind the proxy: @modelcontextprotocol/server-everything, pinned. */
export const EVERYTHING = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/server-everything/dist/index.js",
);

export interface DemoSeedView {
  accessToken: string;
  organizationId: string;
  productId: string;
  creditsProductId: string;
  benefitIds: { licenseKeys: string; meterCredit: string };
}

/** A real emulator over HTTP (the browser and the webhooks need sockets), balances exact. */
export async function startPolar() {
  const emulator = await startEmulator({ db: ":memory:", seed: "demo", instantBalances: true });
  const seed = emulator.seed as unknown as DemoSeedView;
  async function api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${seed.accessToken}`, "content-type": "application/json" },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
  /** A customer holding the product's key and 100 credits, `spent` of them already used. */
  async function customer(spent: number) {
    const created = await api<{ id: string }>("POST", "/v1/customers/", {
      email: `c${Math.random().toString(36).slice(2)}@example.com`,
      name: "Proxy Customer",
    });
    const grant = await api<{ properties: { license_key_id?: string } }>(
      "POST",
      "/__emulator/benefit-grants",
      { customer_id: created.id, benefit_id: seed.benefitIds.licenseKeys },
    );
    await api("POST", "/__emulator/benefit-grants", {
      customer_id: created.id,
      benefit_id: seed.benefitIds.meterCredit,
    });
    if (spent > 0)
      await api("POST", "/v1/events/ingest", {
        events: Array.from({ length: spent }, () => ({
          name: "tool_call",
          customer_id: created.id,
        })),
      });
    const key = await api<{ key: string }>(
      "GET",
      `/v1/license-keys/${grant.properties.license_key_id}`,
    );
    return { customerId: created.id, licenseKey: key.key };
  }
  async function eventsOf(customerId: string) {
    const page = await api<{ items: { name: string; metadata: Record<string, unknown> }[] }>(
      "GET",
      `/v1/events/?customer_id=${customerId}&name=tool_call&limit=100&source=user`,
    );
    return page.items;
  }
  async function webhookRegistered(url: string): Promise<boolean> {
    const list = await api<{ items: { url: string }[] }>("GET", "/v1/webhooks/endpoints?limit=100");
    return list.items.some((e) => e.url === url);
  }
  return { emulator, seed, api, customer, eventsOf, webhookRegistered };
}

export async function connectClient(
  url: string,
  licenseKey: string | undefined,
  capabilities: ClientCapabilities = {},
): Promise<Client> {
  const client = new Client({ name: "proxy-test-client", version: "1.0.0" }, { capabilities });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: licenseKey ? { "license-key": licenseKey } : {} },
    }),
  );
  return client;
}

/** Pays a hosted checkout as a person would: the page, the test card, the pay button. */
export async function payInBrowser(context: BrowserContext, checkoutUrl: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(checkoutUrl);
  const email = page.locator("#email");
  if (!(await email.inputValue())) await email.fill("buyer@example.com");
  await page.fill("#card-number", "4242 4242 4242 4242");
  await page.fill("#card-expiry", "12/34");
  await page.fill("#card-cvc", "123");
  // The form posts and the browser follows the answer (a confirmation page or the success URL).
  await Promise.all([page.waitForNavigation(), page.click("#pay")]);
  await page.close();
}
