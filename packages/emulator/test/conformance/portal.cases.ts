import { createPolar } from "@polar-sh/sdk/2026-10";
import { expect } from "vitest";
import { buy } from "./commerce.cases.js";
import type { Conformance, ConformanceCase } from "./harness.js";

/** A buyer with a customer session: the latest SDK as the customer, the strict one's security. */
async function asCustomer(h: Conformance, recurring = true) {
  const bought = await buy(h, recurring);
  const session = await h.latest.customerSessions.create({ customer_id: bought.customerId });
  return {
    ...bought,
    token: session.token,
    security: { customerSession: session.token },
    portal: createPolar({ accessToken: session.token, baseUrl: h.url }).customerPortal,
  };
}

type Side = (h: Conformance) => Promise<void>;
const both = (operationId: string, latest: Side, strict: Side): ConformanceCase => ({
  operationId,
  latest,
  strict,
});

export const cases: ConformanceCase[] = [
  both(
    "customer_portal:customers:get",
    async (h) => {
      const c = await asCustomer(h);
      expect((await c.portal.customers.get()).id).toBe(c.customerId);
    },
    async (h) => {
      const c = await asCustomer(h);
      expect((await h.strict.customerPortal.customers.get(c.security)).id).toBe(c.customerId);
    },
  ),
  both(
    "customer_portal:customers:update",
    async (h) => {
      const c = await asCustomer(h);
      expect((await c.portal.customers.update({ billing_name: "Buyer Ltd" })).billing_name).toBe(
        "Buyer Ltd",
      );
    },
    async (h) => {
      const c = await asCustomer(h);
      const updated = await h.strict.customerPortal.customers.update(c.security, {
        billingName: "B",
      });
      expect(updated.billingName).toBe("B");
    },
  ),
  both(
    "customer_portal:customers:list_payment_methods",
    async (h) => {
      const c = await asCustomer(h);
      const page = await c.portal.customers.listPaymentMethods();
      expect(page.items[0]).toMatchObject({
        type: "card",
        method_metadata: { brand: "visa", last4: "4242" },
      });
    },
    async (h) => {
      const c = await asCustomer(h);
      const page = await h.strict.customerPortal.customers.listPaymentMethods(c.security, {});
      expect(page.result.items).toHaveLength(1);
    },
  ),
  both(
    "customer_portal:customers:delete_payment_method",
    async (h) => {
      const c = await asCustomer(h);
      const [card] = (await c.portal.customers.listPaymentMethods()).items;
      await c.portal.customers.deletePaymentMethod(card!.id);
      expect((await c.portal.customers.listPaymentMethods()).items).toEqual([]);
    },
    async (h) => {
      const c = await asCustomer(h);
      const [card] = (await c.portal.customers.listPaymentMethods()).items;
      await h.strict.customerPortal.customers.deletePaymentMethod(c.security, { id: card!.id });
    },
  ),
  both(
    "customer_portal:orders:list",
    async (h) => {
      const c = await asCustomer(h);
      expect((await c.portal.orders.list()).items.map((o) => o.id)).toEqual([c.order.id]);
    },
    async (h) => {
      const c = await asCustomer(h, false);
      const page = await h.strict.customerPortal.orders.list(c.security, {});
      expect(page.result.items[0]?.id).toBe(c.order.id);
    },
  ),
  both(
    "customer_portal:orders:get",
    async (h) => {
      const c = await asCustomer(h);
      expect((await c.portal.orders.get(c.order.id)).paid).toBe(true);
    },
    async (h) => {
      const c = await asCustomer(h);
      expect((await h.strict.customerPortal.orders.get(c.security, { id: c.order.id })).id).toBe(
        c.order.id,
      );
    },
  ),
  both(
    "customer_portal:orders:update",
    async (h) => {
      const c = await asCustomer(h);
      const updated = await c.portal.orders.update(c.order.id, {
        billing_name: "Buyer",
        billing_address: { country: "DE" },
      });
      expect(updated.billing_name).toBe("Buyer");
    },
    async (h) => {
      const c = await asCustomer(h);
      const updated = await h.strict.customerPortal.orders.update(c.security, {
        id: c.order.id,
        customerOrderUpdate: { billingName: "Buyer" },
      });
      expect(updated.billingName).toBe("Buyer");
    },
  ),
  ...(["generate_invoice", "invoice"] as const).map((verb) =>
    both(
      `customer_portal:orders:${verb}`,
      async (h) => {
        const c = await asCustomer(h);
        await c.portal.orders.update(c.order.id, {
          billing_name: "Buyer",
          billing_address: { country: "DE" },
        });
        await c.portal.orders.generateInvoice(c.order.id);
        if (verb === "invoice")
          expect((await c.portal.orders.invoice(c.order.id)).url).toContain(c.order.id);
      },
      async (h) => {
        const c = await asCustomer(h);
        await c.portal.orders.update(c.order.id, {
          billing_name: "Buyer",
          billing_address: { country: "DE" },
        });
        await h.strict.customerPortal.orders.generateInvoice(c.security, { id: c.order.id });
        if (verb === "invoice")
          expect(
            (await h.strict.customerPortal.orders.invoice(c.security, { id: c.order.id })).url,
          ).toContain(c.order.id);
      },
    ),
  ),
  both(
    "customer_portal:orders:receipt",
    async (h) => {
      const c = await asCustomer(h);
      expect((await c.portal.orders.receipt(c.order.id))?.url).toContain("/receipt");
    },
    async (h) => {
      const c = await asCustomer(h);
      expect(
        (await h.strict.customerPortal.orders.receipt(c.security, { id: c.order.id }))?.url,
      ).toContain(c.order.id);
    },
  ),
  both(
    "customer_portal:orders:get_payment_status",
    async (h) => {
      const c = await asCustomer(h);
      expect((await c.portal.orders.getPaymentStatus(c.order.id)).status).toBe("succeeded");
    },
    async (h) => {
      const c = await asCustomer(h);
      const status = await h.strict.customerPortal.orders.getPaymentStatus(c.security, {
        id: c.order.id,
      });
      expect(status.status).toBe("succeeded");
    },
  ),
  both(
    "customer_portal:subscriptions:list",
    async (h) => {
      const c = await asCustomer(h);
      const page = await c.portal.subscriptions.list({ active: true });
      expect(page.items).toHaveLength(1);
      expect(page.items[0]!.product.id).toBe(c.product.id);
    },
    async (h) => {
      const c = await asCustomer(h);
      const page = await h.strict.customerPortal.subscriptions.list(c.security, {});
      expect(page.result.items[0]?.productId).toBe(c.product.id);
    },
  ),
  both(
    "customer_portal:subscriptions:get",
    async (h) => {
      const c = await asCustomer(h);
      const [sub] = (await c.portal.subscriptions.list()).items;
      expect((await c.portal.subscriptions.get(sub!.id)).status).toBe("active");
    },
    async (h) => {
      const c = await asCustomer(h);
      const [sub] = (await c.portal.subscriptions.list()).items;
      expect(
        (await h.strict.customerPortal.subscriptions.get(c.security, { id: sub!.id })).id,
      ).toBe(sub!.id);
    },
  ),
  both(
    "customer_portal:subscriptions:update",
    async (h) => {
      const c = await asCustomer(h);
      const [sub] = (await c.portal.subscriptions.list()).items;
      const canceled = await c.portal.subscriptions.update(sub!.id, {
        cancel_at_period_end: true,
        cancellation_reason: "unused",
      });
      expect(canceled).toMatchObject({
        cancel_at_period_end: true,
        customer_cancellation_reason: "unused",
      });
    },
    async (h) => {
      const c = await asCustomer(h);
      const [sub] = (await c.portal.subscriptions.list()).items;
      const updated = await h.strict.customerPortal.subscriptions.update(c.security, {
        id: sub!.id,
        customerSubscriptionUpdate: { cancelAtPeriodEnd: true },
      });
      expect(updated.cancelAtPeriodEnd).toBe(true);
    },
  ),
  both(
    "customer_portal:subscriptions:cancel",
    async (h) => {
      const c = await asCustomer(h);
      const [sub] = (await c.portal.subscriptions.list()).items;
      const canceled = await c.portal.subscriptions.cancel(sub!.id);
      expect(canceled).toMatchObject({ status: "active", cancel_at_period_end: true });
    },
    async (h) => {
      const c = await asCustomer(h);
      const [sub] = (await c.portal.subscriptions.list()).items;
      const canceled = await h.strict.customerPortal.subscriptions.cancel(c.security, {
        id: sub!.id,
      });
      expect(canceled.cancelAtPeriodEnd).toBe(true);
    },
  ),
  both(
    "customer_portal:benefit-grants:list",
    async (h) => {
      const session = await h.latest.customerSessions.create({ customer_id: h.seed.customerId });
      const portal = createPolar({ accessToken: session.token, baseUrl: h.url }).customerPortal;
      const page = await portal.benefitGrants.list();
      expect(page.items.map((g) => g.benefit_id).sort()).toEqual(
        [h.seed.benefitIds.licenseKeys, h.seed.benefitIds.meterCredit].sort(),
      );
    },
    async (h) => {
      const session = await h.latest.customerSessions.create({ customer_id: h.seed.customerId });
      const page = await h.strict.customerPortal.benefitGrants.list(
        { customerSession: session.token },
        {},
      );
      expect(page.result.items.length).toBe(2);
    },
  ),
  ...(["get", "update"] as const).map((verb) =>
    both(
      `customer_portal:benefit-grants:${verb}`,
      async (h) => {
        const session = await h.latest.customerSessions.create({ customer_id: h.seed.customerId });
        const portal = createPolar({ accessToken: session.token, baseUrl: h.url }).customerPortal;
        const [grant] = (await portal.benefitGrants.list({ type: "license_keys" })).items;
        if (verb === "get") expect((await portal.benefitGrants.get(grant!.id)).id).toBe(grant!.id);
        else
          expect(
            (await portal.benefitGrants.update(grant!.id, { benefit_type: "license_keys" }))
              .is_granted,
          ).toBe(true);
      },
      async (h) => {
        const session = await h.latest.customerSessions.create({ customer_id: h.seed.customerId });
        const security = { customerSession: session.token };
        const portal = createPolar({ accessToken: session.token, baseUrl: h.url }).customerPortal;
        const [grant] = (await portal.benefitGrants.list({ type: "license_keys" })).items;
        if (verb === "get")
          expect(
            (await h.strict.customerPortal.benefitGrants.get(security, { id: grant!.id })).id,
          ).toBe(grant!.id);
        else {
          const updated = await h.strict.customerPortal.benefitGrants.update(security, {
            id: grant!.id,
            customerBenefitGrantUpdate: { benefitType: "license_keys" },
          });
          expect(updated.id).toBe(grant!.id);
        }
      },
    ),
  ),
  ...(["list", "get"] as const).map((verb) =>
    both(
      `customer_portal:license_keys:${verb}`,
      async (h) => {
        const session = await h.latest.customerSessions.create({ customer_id: h.seed.customerId });
        const portal = createPolar({ accessToken: session.token, baseUrl: h.url }).customerPortal;
        const [key] = (await portal.licenseKeys.list()).items;
        expect(key!.key).toBe(h.seed.licenseKey);
        if (verb === "get") expect((await portal.licenseKeys.get(key!.id)).activations).toEqual([]);
      },
      async (h) => {
        const session = await h.latest.customerSessions.create({ customer_id: h.seed.customerId });
        const security = { customerSession: session.token };
        const page = await h.strict.customerPortal.licenseKeys.list(security, {});
        expect(page.result.items[0]?.key).toBe(h.seed.licenseKey);
        if (verb === "get") {
          const key = await h.strict.customerPortal.licenseKeys.get(security, {
            id: page.result.items[0]!.id,
          });
          expect(key.displayKey).toBe(`****-${h.seed.licenseKey.slice(-6)}`);
        }
      },
    ),
  ),
  both(
    "customer_portal:customer-session:introspect",
    async (h) => {
      const c = await asCustomer(h, false);
      expect((await c.portal.customerSession.introspect()).expires_at).toEqual(expect.any(String));
    },
    async (h) => {
      const c = await asCustomer(h, false);
      const seen = await h.strict.customerPortal.customerSession.introspect(c.security);
      expect(seen.expiresAt).toBeInstanceOf(Date);
    },
  ),
  both(
    "customer_portal:customer-session:get_authenticated_user",
    async (h) => {
      const c = await asCustomer(h, false);
      const user = await c.portal.customerSession.getAuthenticatedUser();
      expect(user).toMatchObject({ type: "customer", customer_id: c.customerId });
    },
    async (h) => {
      const c = await asCustomer(h, false);
      const user = await h.strict.customerPortal.customerSession.getAuthenticatedUser(c.security);
      expect(user.customerId).toBe(c.customerId);
    },
  ),
  both(
    "customer_portal:organizations:get",
    async (h) => {
      const page = await h.latest.customerPortal.organizations.get("polar-mcp-demo");
      expect(page.organization.id).toBe(h.seed.organizationId);
      expect(page.products.map((p) => p.id)).toContain(h.seed.productId);
    },
    async (h) => {
      const page = await h.strict.customerPortal.organizations.get({ slug: "polar-mcp-demo" });
      expect(page.organization.slug).toBe("polar-mcp-demo");
    },
  ),
  ...(["list", "get"] as const).map((verb) =>
    both(
      `customer_portal:customer_meters:${verb}`,
      async (h) => {
        const session = await h.latest.customerSessions.create({ customer_id: h.seed.customerId });
        const portal = createPolar({ accessToken: session.token, baseUrl: h.url }).customerPortal;
        const [meter] = (await portal.customerMeters.list()).items;
        expect(meter).toMatchObject({ meter_id: h.seed.meterId, credited_units: 100 });
        if (verb === "get") expect((await portal.customerMeters.get(meter!.id)).id).toBe(meter!.id);
      },
      async (h) => {
        const session = await h.latest.customerSessions.create({ customer_id: h.seed.customerId });
        const security = { customerSession: session.token };
        const page = await h.strict.customerPortal.customerMeters.list(security, {});
        expect(page.result.items[0]?.meterId).toBe(h.seed.meterId);
        if (verb === "get")
          expect(
            (
              await h.strict.customerPortal.customerMeters.get(security, {
                id: page.result.items[0]!.id,
              })
            ).meterId,
          ).toBe(h.seed.meterId);
      },
    ),
  ),
];
