// Seed 001, workflow 2: self-serve enterprise checkout. The agent creates a checkout
// session for a product, mapped to the CRM's external customer id, hands back its URL,
// and reads it back; once the buyer pays, the order, subscription and customer carry that
// external id. Every step is an MCP tool call against the emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectToEmulator,
  EMULATOR_BASE_URL,
  type EmulatorSession,
  type Page,
} from "./emulator.js";

interface Checkout {
  id: string;
  status: string;
  url: string;
  client_secret: string;
  expires_at: string;
  organization_id: string;
  product_id: string;
  products: { id: string }[];
  customer_id: string | null;
  customer_email: string | null;
  external_customer_id: string | null;
  metadata: Record<string, unknown>;
  total_amount: number;
  currency: string;
}

const CRM_ID = "acc_999888";

describe("workflow: enterprise checkout for an external customer id (emulator)", () => {
  let s: EmulatorSession;
  let checkout: Checkout;

  beforeAll(async () => {
    s = await connectToEmulator();
  });
  afterAll(() => s.close());

  it("creates a checkout session for the product, mapped to the external customer id", async () => {
    checkout = await s.ok<Checkout>("checkouts_create", {
      products: [s.seed.productId],
      external_customer_id: CRM_ID,
      customer_email: "procurement@globex.example",
      metadata: { deal: "globex-2026" },
    });
    expect(checkout).toMatchObject({
      status: "open",
      organization_id: s.seed.organizationId,
      product_id: s.seed.productId,
      external_customer_id: CRM_ID,
      customer_id: null,
      customer_email: "procurement@globex.example",
      metadata: { deal: "globex-2026" },
      total_amount: 900,
      currency: "usd",
    });
    expect(checkout.products.map((p) => p.id)).toEqual([s.seed.productId]);
    // The URL the agent hands to the buyer: a hosted checkout page keyed by the secret.
    expect(checkout.url).toMatch(/^https?:\/\/.+\/checkout\/.+/);
    expect(checkout.url).toContain(checkout.client_secret);
    expect(Date.parse(checkout.expires_at)).toBeGreaterThan(s.emulator.clock.now().getTime());
  });

  it("reads the checkout back by id, unchanged", async () => {
    const read = await s.ok<Checkout>("checkouts_get", { id: checkout.id });
    expect(read).toMatchObject({
      id: checkout.id,
      url: checkout.url,
      client_secret: checkout.client_secret,
      status: "open",
      external_customer_id: CRM_ID,
      product_id: s.seed.productId,
    });
  });

  it("finds it among the checkouts of that external customer id only", async () => {
    const other = await s.ok<Checkout>("checkouts_create", {
      products: [s.seed.productId],
      external_customer_id: "acc_someone_else",
    });
    const mine = await s.ok<Page<Checkout>>("checkouts_list", { external_customer_id: CRM_ID });
    expect(mine.items.map((c) => c.id)).toEqual([checkout.id]);
    const all = await s.ok<Page<Checkout>>("checkouts_list", { limit: 100 });
    expect(all.items.map((c) => c.id)).toEqual(expect.arrayContaining([checkout.id, other.id]));
  });

  it("links what the buyer pays for to the external customer id", async () => {
    // The buyer, not the agent, pays: on the hosted page at the checkout's URL, with
    // Stripe's test card.
    const page = new URL(checkout.url);
    const response = await s.emulator.fetch(
      new Request(`${EMULATOR_BASE_URL}${page.pathname}`, {
        method: "POST",
        body: new URLSearchParams({
          customer_name: "Globex Corp",
          card_number: "4242 4242 4242 4242",
          card_expiry: "12 / 34",
          card_cvc: "123",
        }),
      }),
    );
    expect(response.status).toBe(303);

    const customer = await s.ok<{ id: string; email: string }>("customers_get_external", {
      external_id: CRM_ID,
    });
    expect(customer.email).toBe("procurement@globex.example");
    const read = await s.ok<Checkout>("checkouts_get", { id: checkout.id });
    expect(read).toMatchObject({ status: "succeeded", customer_id: customer.id });

    const orders = await s.ok<
      Page<{ customer_id: string; product_id: string; checkout_id: string }>
    >("orders_list", { external_customer_id: CRM_ID });
    expect(orders.items).toEqual([
      expect.objectContaining({
        customer_id: customer.id,
        product_id: s.seed.productId,
        checkout_id: checkout.id,
      }),
    ]);
    const subscriptions = await s.ok<Page<{ status: string; product_id: string }>>(
      "subscriptions_list",
      { external_customer_id: CRM_ID },
    );
    expect(subscriptions.items).toEqual([
      expect.objectContaining({ status: "active", product_id: s.seed.productId }),
    ]);
    const state = await s.ok<{ granted_benefits: { benefit_id: string }[] }>(
      "customers_get_state_external",
      { external_id: CRM_ID },
    );
    expect(state.granted_benefits.map((g) => g.benefit_id)).toContain(
      s.seed.benefitIds.licenseKeys,
    );
  });

  it("refuses a product that does not exist with Polar's validation error", async () => {
    const result = await s.fails("checkouts_create", {
      products: ["00000000-0000-4000-8000-000000000000"],
      external_customer_id: CRM_ID,
    });
    expect(result.structuredContent).toMatchObject({ status: 422 });
  });
});
