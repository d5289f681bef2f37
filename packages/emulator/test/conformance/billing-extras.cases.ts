import { createPolar } from "@polar-sh/sdk/2026-10";
import { expect } from "vitest";
import { buy } from "./commerce.cases.js";
import type { Conformance, ConformanceCase } from "./harness.js";

type Side = (h: Conformance) => Promise<void>;
const both = (operationId: string, latest: Side, strict: Side): ConformanceCase => ({
  operationId,
  latest,
  strict,
});

/** A chargeback on a new buyer's paid order (the emulator's control plane). */
async function dispute(
  h: Conformance,
): Promise<{ id: string; order_id: string; customerId: string }> {
  const { order, customerId } = await buy(h, false);
  const res = await fetch(`${h.url}/__emulator/disputes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ order_id: order.id }),
  });
  return { ...((await res.json()) as { id: string; order_id: string }), customerId };
}

/**
 * A draft order for a one-time product, for a new buyer whose test card was saved at
 * checkout (never the demo customer: its grants and credits are other cases' fixtures).
 */
async function draft(h: Conformance) {
  const { product, customerId } = await buy(h, false);
  return h.latest.orders.create({
    customer_id: customerId,
    product_id: product.id,
    description: "Off-session charge",
  });
}

/** A new customer's billing wallet credited with 500, and its session token. */
async function wallet(h: Conformance) {
  const customer = await h.latest.customers.create({
    email: `wallet-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}@example.com`,
  });
  const res = await fetch(`${h.url}/__emulator/wallets/balance-transactions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ customer_id: customer.id, amount: 500 }),
  });
  const created = (await res.json()) as { id: string };
  const session = await h.latest.customerSessions.create({ customer_id: customer.id });
  return { id: created.id, token: session.token };
}

export const cases: ConformanceCase[] = [
  both(
    "orders:create",
    async (h) => {
      const order = await draft(h);
      expect(order).toMatchObject({ status: "draft", invoice_number: null, paid: false });
    },
    async (h) => {
      const { product, customerId } = await buy(h, false);
      const order = await h.strict.orders.create({ customerId, productId: product.id });
      expect(order.status).toBe("draft");
    },
  ),
  both(
    "orders:finalize",
    async (h) => {
      const order = await h.latest.orders.finalize((await draft(h)).id, {});
      expect(order).toMatchObject({ status: "paid", paid: true });
      expect(order.invoice_number).toMatch(/^POLAR-/);
    },
    async (h) => {
      const created = await draft(h);
      expect((await h.strict.orders.finalize({ id: created.id, orderFinalize: {} })).paid).toBe(
        true,
      );
      await expect(
        h.strict.orders.finalize({ id: created.id, orderFinalize: {} }),
      ).rejects.toMatchObject({ statusCode: 412 });
    },
  ),
  both(
    "disputes:list",
    async (h) => {
      const d = await dispute(h);
      expect(
        (await h.latest.disputes.list({ order_id: d.order_id })).items.map((x) => x.id),
      ).toContain(d.id);
    },
    async (h) => {
      const d = await dispute(h);
      const page = await h.strict.disputes.list({ status: "needs_response" });
      expect(page.result.items.map((x) => x.id)).toContain(d.id);
    },
  ),
  both(
    "disputes:get",
    async (h) => {
      const d = await dispute(h);
      expect((await h.latest.disputes.get(d.id)).status).toBe("needs_response");
    },
    async (h) => {
      const d = await dispute(h);
      expect((await h.strict.disputes.get({ id: d.id })).customer.id).toBe(d.customerId);
    },
  ),
  both(
    "disputes:accept",
    async (h) => {
      const d = await dispute(h);
      expect(await h.latest.disputes.accept(d.id)).toMatchObject({ status: "lost", closed: true });
    },
    async (h) => {
      const d = await dispute(h);
      await h.strict.disputes.accept({ id: d.id });
      await expect(h.strict.disputes.accept({ id: d.id })).rejects.toMatchObject({
        statusCode: 409,
      });
    },
  ),
  both(
    "customers:export",
    async (h) => {
      const csv = await h.latest.customers.export();
      expect(csv.split("\r\n")[0]).toContain("ID,External ID,Created At,Email");
      expect(csv).toContain(h.seed.customerId);
    },
    async (h) => {
      expect(await h.strict.customers.export({})).toContain(h.seed.customerId);
    },
  ),
  both(
    "customer_portal:wallets:list",
    async (h) => {
      const w = await wallet(h);
      const page = await createPolar({
        accessToken: w.token,
        baseUrl: h.url,
      }).customerPortal.wallets.list();
      expect(page.items.map((x) => x.id)).toContain(w.id);
    },
    async (h) => {
      const w = await wallet(h);
      const page = await h.strict.customerPortal.wallets.list({ customerSession: w.token }, {});
      expect(page.result.items[0]?.balance).toBeGreaterThanOrEqual(500);
    },
  ),
  both(
    "customer_portal:wallets:get",
    async (h) => {
      const w = await wallet(h);
      expect(
        (
          await createPolar({ accessToken: w.token, baseUrl: h.url }).customerPortal.wallets.get(
            w.id,
          )
        ).currency,
      ).toBe("usd");
    },
    async (h) => {
      const w = await wallet(h);
      expect(
        (await h.strict.customerPortal.wallets.get({ customerSession: w.token }, { id: w.id })).id,
      ).toBe(w.id);
    },
  ),
];
