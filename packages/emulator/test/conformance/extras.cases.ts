import { expect } from "vitest";
import { buy } from "./commerce.cases.js";
import type { Conformance, ConformanceCase } from "./harness.js";

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

type Side = (h: Conformance) => Promise<void>;
const both = (operationId: string, latest: Side, strict: Side): ConformanceCase => ({
  operationId,
  latest,
  strict,
});

const percentOff = (h: Conformance) =>
  h.latest.discounts.create({
    type: "percentage",
    name: unique("Launch"),
    code: unique("LAUNCH").toUpperCase(),
    duration: "once",
    basis_points: 2500,
  });

const textField = (h: Conformance) =>
  h.latest.customFields.create({
    type: "text",
    slug: unique("company").toLowerCase(),
    name: "Company",
    properties: { form_label: "Company" },
  });

/** Ingests one event so that its name has an event type. */
async function eventType(h: Conformance) {
  const name = unique("conformance_event");
  await h.latest.events.ingest({ events: [{ name, customer_id: h.seed.customerId }] });
  const page = await h.latest.eventTypes.list({ query: name });
  return page.items[0]!;
}

export const cases: ConformanceCase[] = [
  both(
    "discounts:create",
    async (h) => {
      const discount = await percentOff(h);
      expect(discount).toMatchObject({
        type: "percentage",
        basis_points: 2500,
        redemptions_count: 0,
      });
    },
    async (h) => {
      const discount = await h.strict.discounts.create({
        type: "fixed",
        name: unique("Fixed"),
        duration: "forever",
        amount: 300,
        currency: "usd",
      });
      expect(discount.type).toBe("fixed");
    },
  ),
  both(
    "discounts:list",
    async (h) => {
      const discount = await percentOff(h);
      expect((await h.latest.discounts.list({ query: discount.name })).items[0]?.id).toBe(
        discount.id,
      );
    },
    async (h) => {
      const discount = await percentOff(h);
      expect((await h.strict.discounts.list({ query: discount.name })).result.items[0]?.id).toBe(
        discount.id,
      );
    },
  ),
  both(
    "discounts:get",
    async (h) => {
      const discount = await percentOff(h);
      expect((await h.latest.discounts.get(discount.id)).code).toBe(discount.code);
    },
    async (h) => {
      const discount = await percentOff(h);
      expect((await h.strict.discounts.get({ id: discount.id })).id).toBe(discount.id);
    },
  ),
  both(
    "discounts:update",
    async (h) => {
      const discount = await percentOff(h);
      expect((await h.latest.discounts.update(discount.id, { name: "Renamed" })).name).toBe(
        "Renamed",
      );
    },
    async (h) => {
      const discount = await percentOff(h);
      const updated = await h.strict.discounts.update({
        id: discount.id,
        discountUpdate: { maxRedemptions: 5 },
      });
      expect(updated.maxRedemptions).toBe(5);
    },
  ),
  both(
    "discounts:delete",
    async (h) => {
      const discount = await percentOff(h);
      await h.latest.discounts.delete(discount.id);
    },
    async (h) => {
      const discount = await percentOff(h);
      await h.strict.discounts.delete({ id: discount.id });
    },
  ),
  both(
    "custom-fields:create",
    async (h) => {
      const field = await textField(h);
      expect(field).toMatchObject({ type: "text", name: "Company" });
    },
    async (h) => {
      const field = await h.strict.customFields.create({
        type: "text",
        slug: unique("vat").toLowerCase(),
        name: "VAT",
        properties: {},
      });
      expect(field.type).toBe("text");
    },
  ),
  both(
    "custom-fields:list",
    async (h) => {
      const field = await textField(h);
      expect((await h.latest.customFields.list({ query: field.slug })).items[0]?.id).toBe(field.id);
    },
    async (h) => {
      const field = await textField(h);
      expect((await h.strict.customFields.list({ query: field.slug })).result.items[0]?.id).toBe(
        field.id,
      );
    },
  ),
  both(
    "custom-fields:get",
    async (h) => {
      const field = await textField(h);
      expect((await h.latest.customFields.get(field.id)).slug).toBe(field.slug);
    },
    async (h) => {
      const field = await textField(h);
      expect((await h.strict.customFields.get({ id: field.id })).id).toBe(field.id);
    },
  ),
  both(
    "custom-fields:update",
    async (h) => {
      const field = await textField(h);
      expect(
        (await h.latest.customFields.update(field.id, { type: "text", name: "Firm" })).name,
      ).toBe("Firm");
    },
    async (h) => {
      const field = await textField(h);
      const updated = await h.strict.customFields.update({
        id: field.id,
        customFieldUpdate: { type: "text", name: "Org" },
      });
      expect(updated.name).toBe("Org");
    },
  ),
  both(
    "custom-fields:delete",
    async (h) => {
      const field = await textField(h);
      await h.latest.customFields.delete(field.id);
    },
    async (h) => {
      const field = await textField(h);
      await h.strict.customFields.delete({ id: field.id });
    },
  ),
  both(
    "event-types:list",
    async (h) => {
      const type = await eventType(h);
      expect(type).toMatchObject({ occurrences: 1, source: "user" });
    },
    async (h) => {
      const type = await eventType(h);
      const page = await h.strict.eventTypes.list({ query: type.name });
      expect(page.result.items[0]?.occurrences).toBe(1);
    },
  ),
  both(
    "event-types:update",
    async (h) => {
      const type = await eventType(h);
      expect((await h.latest.eventTypes.update(type.id!, { label: "Tool call" })).label).toBe(
        "Tool call",
      );
    },
    async (h) => {
      const type = await eventType(h);
      const updated = await h.strict.eventTypes.update({
        id: type.id!,
        eventTypeUpdate: { label: "Call" },
      });
      expect(updated.label).toBe("Call");
    },
  ),
  both(
    "payments:list",
    async (h) => {
      const { order } = await buy(h, false);
      const page = await h.latest.payments.list({ order_id: order.id });
      expect(page.items[0]).toMatchObject({ status: "succeeded", amount: 1500, method: "card" });
    },
    async (h) => {
      const { checkout } = await buy(h, false);
      const page = await h.strict.payments.list({ checkoutId: checkout.id });
      expect(page.result.items[0]?.status).toBe("succeeded");
    },
  ),
  both(
    "payments:get",
    async (h) => {
      const { order } = await buy(h, false);
      const [payment] = (await h.latest.payments.list({ order_id: order.id })).items;
      expect((await h.latest.payments.get(payment!.id)).order_id).toBe(order.id);
    },
    async (h) => {
      const { order } = await buy(h, false);
      const [payment] = (await h.latest.payments.list({ order_id: order.id })).items;
      expect((await h.strict.payments.get({ id: payment!.id })).id).toBe(payment!.id);
    },
  ),
  both(
    "customers:list_payment_methods",
    async (h) => {
      const { customerId } = await buy(h, false);
      const page = await h.latest.customers.listPaymentMethods(customerId);
      expect(page.items[0]).toMatchObject({ is_default: true, method_metadata: { last4: "4242" } });
    },
    async (h) => {
      const { customerId } = await buy(h, false);
      const page = await h.strict.customers.listPaymentMethods({ id: customerId });
      expect(page.result.items).toHaveLength(1);
    },
  ),
  both(
    "customers:list_payment_methods_external",
    async (h) => {
      const page = await h.latest.customers.listPaymentMethodsExternal(h.seed.externalCustomerId);
      expect(page.items).toHaveLength(1);
    },
    async (h) => {
      const page = await h.strict.customers.listPaymentMethodsExternal({
        externalId: h.seed.externalCustomerId,
      });
      expect(page.result.items[0]?.type).toBe("card");
    },
  ),
  both(
    "orders:export",
    async (h) => {
      await buy(h, false);
      expect(String(await h.latest.orders.export())).toContain("Email,Created At,Product");
    },
    async (h) => {
      expect(String(await h.strict.orders.export({}))).toContain("Invoice number");
    },
  ),
];
