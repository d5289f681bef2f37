import { expect } from "vitest";
import type { Conformance, ConformanceCase } from "./harness.js";

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

/** Fixtures made through the latest SDK (its calls are checked against the schema too). */
const newCustomer = (h: Conformance) =>
  h.latest.customers.create({
    email: `${unique("c")}@example.com`,
    name: "Conformance",
    external_id: unique("ext"),
  });
const newLicenseBenefit = (h: Conformance, properties: Record<string, unknown> = {}) =>
  h.latest.benefits.create({
    type: "license_keys",
    description: "Conformance keys",
    properties: { prefix: "CONF", ...properties },
  });

/** A customer holding a key with activations allowed, via the control plane. */
async function grantedKey(h: Conformance) {
  const benefit = await newLicenseBenefit(h, {
    activations: { limit: 3, enable_customer_admin: false },
  });
  const customer = await newCustomer(h);
  const res = await fetch(`${h.url}/__emulator/benefit-grants`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ customer_id: customer.id, benefit_id: benefit.id }),
  });
  const grant = (await res.json()) as { properties: { license_key_id: string } };
  const key = await h.latest.licenseKeys.get(grant.properties.license_key_id);
  return { key, benefit, customer };
}

export const cases: ConformanceCase[] = [
  {
    operationId: "organizations:list",
    latest: async (h) => {
      const page = await h.latest.organizations.list();
      expect(page.items[0]?.id).toBe(h.seed.organizationId);
    },
    strict: async (h) => {
      const page = await h.strict.organizations.listOrganizations({});
      expect(page.result.items[0]?.id).toBe(h.seed.organizationId);
    },
  },
  {
    operationId: "organizations:get",
    latest: async (h) => {
      expect((await h.latest.organizations.get(h.seed.organizationId)).slug).toBe("polar-mcp-demo");
    },
    strict: async (h) => {
      expect((await h.strict.organizations.get({ id: h.seed.organizationId })).slug).toBe(
        "polar-mcp-demo",
      );
    },
  },
  {
    operationId: "organizations:update",
    latest: async (h) => {
      const org = await h.latest.organizations.update(h.seed.organizationId, {
        name: "Polar MCP Demo",
      });
      expect(org.name).toBe("Polar MCP Demo");
    },
    strict: async (h) => {
      const org = await h.strict.organizations.update({
        id: h.seed.organizationId,
        organizationUpdate: { name: "Polar MCP Demo" },
      });
      expect(org.name).toBe("Polar MCP Demo");
    },
  },
  {
    operationId: "customers:list",
    latest: async (h) => {
      const page = await h.latest.customers.list({ limit: 100 });
      expect(page.items.some((c) => c.id === h.seed.customerId)).toBe(true);
    },
    strict: async (h) => {
      const page = await h.strict.customers.list({ limit: 100 });
      expect(page.result.items.some((c) => c.id === h.seed.customerId)).toBe(true);
    },
  },
  {
    operationId: "customers:create",
    latest: async (h) => {
      const customer = await newCustomer(h);
      expect(customer.type).toBe("individual");
    },
    strict: async (h) => {
      const customer = await h.strict.customers.create({
        email: `${unique("s")}@example.com`,
        metadata: { plan: "pro" },
      });
      expect(customer.metadata).toEqual({ plan: "pro" });
    },
  },
  {
    operationId: "customers:get",
    latest: async (h) => {
      expect((await h.latest.customers.get(h.seed.customerId)).external_id).toBe("demo-user");
    },
    strict: async (h) => {
      expect((await h.strict.customers.get({ id: h.seed.customerId })).externalId).toBe(
        "demo-user",
      );
    },
  },
  {
    operationId: "customers:get_external",
    latest: async (h) => {
      expect((await h.latest.customers.getExternal("demo-user")).id).toBe(h.seed.customerId);
    },
    strict: async (h) => {
      const customer = await h.strict.customers.getExternal({ externalId: "demo-user" });
      expect(customer.id).toBe(h.seed.customerId);
    },
  },
  {
    operationId: "customers:update",
    latest: async (h) => {
      const customer = await newCustomer(h);
      const updated = await h.latest.customers.update(customer.id, { name: "Renamed" });
      expect(updated.name).toBe("Renamed");
    },
    strict: async (h) => {
      const customer = await newCustomer(h);
      const updated = await h.strict.customers.update({
        id: customer.id,
        customerUpdate: { metadata: { tier: 2 } },
      });
      expect(updated.metadata).toEqual({ tier: 2 });
    },
  },
  {
    operationId: "customers:update_external",
    latest: async (h) => {
      const customer = await newCustomer(h);
      const updated = await h.latest.customers.updateExternal(customer.external_id!, {
        name: "External",
      });
      expect(updated.name).toBe("External");
    },
    strict: async (h) => {
      const customer = await newCustomer(h);
      const updated = await h.strict.customers.updateExternal({
        externalId: customer.external_id!,
        customerUpdateExternalID: { name: "External" },
      });
      expect(updated.name).toBe("External");
    },
  },
  {
    operationId: "customers:delete",
    latest: async (h) => {
      const customer = await newCustomer(h);
      await h.latest.customers.delete(customer.id);
    },
    strict: async (h) => {
      const customer = await newCustomer(h);
      await h.strict.customers.delete({ id: customer.id });
    },
  },
  {
    operationId: "customers:delete_external",
    latest: async (h) => {
      const customer = await newCustomer(h);
      await h.latest.customers.deleteExternal(customer.external_id!);
    },
    strict: async (h) => {
      const customer = await newCustomer(h);
      await h.strict.customers.deleteExternal({ externalId: customer.external_id! });
    },
  },
  {
    operationId: "benefits:list",
    latest: async (h) => {
      const page = await h.latest.benefits.list({ type: "license_keys", limit: 100 });
      expect(page.items.some((b) => b.id === h.seed.benefitIds.licenseKeys)).toBe(true);
    },
    strict: async (h) => {
      const page = await h.strict.benefits.list({ limit: 100 });
      expect(page.result.items.some((b) => b.id === h.seed.benefitIds.licenseKeys)).toBe(true);
    },
  },
  {
    operationId: "benefits:create",
    latest: async (h) => {
      for (const body of [
        { type: "custom", description: "Custom perk", properties: { note: "hi" } },
        { type: "feature_flag", description: "Flag perk", properties: {} },
        {
          type: "github_repository",
          description: "Repo access",
          properties: { repository_owner: "o", repository_name: "r", permission: "pull" },
        },
        {
          type: "discord",
          description: "Discord role",
          properties: { guild_token: "g", role_id: "r", kick_member: false },
        },
        {
          type: "downloadables",
          description: "Files",
          properties: { files: ["3f0c1a52-8d1e-4c5e-9a51-6f1f9a1e2b3c"] },
        },
        {
          type: "slack_shared_channel",
          description: "Slack channel",
          properties: {
            slack_integration_id: "3f0c1a52-8d1e-4c5e-9a51-6f1f9a1e2b3c",
            channel_name_template: "c-{customer_name}",
          },
        },
      ] as const) {
        const benefit = await h.latest.benefits.create(body as never);
        expect(benefit.type).toBe(body.type);
      }
    },
    strict: async (h) => {
      const benefit = await h.strict.benefits.create({
        type: "license_keys",
        description: "Strict keys",
        properties: { prefix: "S", limitUsage: 10 },
      });
      expect(benefit.type).toBe("license_keys");
    },
  },
  {
    operationId: "benefits:get",
    latest: async (h) => {
      const benefit = await h.latest.benefits.get(h.seed.benefitIds.licenseKeys);
      expect(benefit.type).toBe("license_keys");
    },
    strict: async (h) => {
      const benefit = await h.strict.benefits.get({ id: h.seed.benefitIds.licenseKeys });
      expect(benefit.type).toBe("license_keys");
    },
  },
  {
    operationId: "benefits:update",
    latest: async (h) => {
      const benefit = await newLicenseBenefit(h);
      const updated = await h.latest.benefits.update(benefit.id, {
        type: "license_keys",
        description: "Renamed keys",
      });
      expect(updated.description).toBe("Renamed keys");
    },
    strict: async (h) => {
      const benefit = await newLicenseBenefit(h);
      const updated = await h.strict.benefits.update({
        id: benefit.id,
        requestBody: { type: "license_keys", description: "Strict renamed" },
      });
      expect(updated.description).toBe("Strict renamed");
    },
  },
  {
    operationId: "benefits:delete",
    latest: async (h) => {
      const benefit = await newLicenseBenefit(h);
      await h.latest.benefits.delete(benefit.id);
    },
    strict: async (h) => {
      const benefit = await newLicenseBenefit(h);
      await h.strict.benefits.delete({ id: benefit.id });
    },
  },
  {
    operationId: "benefits:grants",
    latest: async (h) => {
      const page = await h.latest.benefits.grants(h.seed.benefitIds.licenseKeys, {
        is_granted: true,
      });
      expect(page.items.some((g) => g.customer_id === h.seed.customerId)).toBe(true);
    },
    strict: async (h) => {
      const page = await h.strict.benefits.grants({ id: h.seed.benefitIds.licenseKeys });
      expect(page.result.items.some((g) => g.customerId === h.seed.customerId)).toBe(true);
    },
  },
  {
    operationId: "products:list",
    latest: async (h) => {
      const page = await h.latest.products.list({ benefit_id: h.seed.benefitIds.licenseKeys });
      // The monthly product and the one-time credits pack both carry the key benefit.
      expect(page.items.map((p) => p.id).sort()).toEqual(
        [h.seed.productId, h.seed.creditsProductId].sort(),
      );
    },
    strict: async (h) => {
      const page = await h.strict.products.list({ isArchived: false, limit: 100 });
      expect(page.result.items.some((p) => p.id === h.seed.productId)).toBe(true);
    },
  },
  {
    operationId: "products:create",
    latest: async (h) => {
      const product = await h.latest.products.create({
        name: "One-time pack",
        prices: [{ amount_type: "custom", price_currency: "usd" }],
      });
      expect(product.is_recurring).toBe(false);
    },
    strict: async (h) => {
      const product = await h.strict.products.create({
        name: "Strict monthly",
        recurringInterval: "month",
        prices: [{ amountType: "fixed", priceAmount: 500, priceCurrency: "usd" }],
      });
      expect(product.isRecurring).toBe(true);
    },
  },
  {
    operationId: "products:get",
    latest: async (h) => {
      const product = await h.latest.products.get(h.seed.productId);
      expect(product.benefits.map((b) => b.id)).toContain(h.seed.benefitIds.licenseKeys);
    },
    strict: async (h) => {
      const product = await h.strict.products.get({ id: h.seed.productId });
      expect(product.prices.length).toBeGreaterThan(0);
    },
  },
  {
    operationId: "products:update",
    latest: async (h) => {
      const product = await h.latest.products.create({
        name: "To archive",
        prices: [{ amount_type: "fixed", price_amount: 100, price_currency: "usd" }],
      });
      const archived = await h.latest.products.update(product.id, { is_archived: true });
      expect(archived.is_archived).toBe(true);
    },
    strict: async (h) => {
      const product = await h.latest.products.create({
        name: "To reprice",
        prices: [{ amount_type: "fixed", price_amount: 100, price_currency: "usd" }],
      });
      const updated = await h.strict.products.update({
        id: product.id,
        productUpdate: {
          prices: [{ amountType: "fixed", priceAmount: 200, priceCurrency: "usd" }],
        },
      });
      expect(updated.prices).toHaveLength(1);
    },
  },
  {
    operationId: "products:update_benefits",
    latest: async (h) => {
      const product = await h.latest.products.create({
        name: "With benefits",
        prices: [{ amount_type: "fixed", price_amount: 100, price_currency: "usd" }],
      });
      const extra = await newLicenseBenefit(h);
      const updated = await h.latest.products.updateBenefits(product.id, {
        benefits: [extra.id, h.seed.benefitIds.licenseKeys],
      });
      expect(updated.benefits.map((b) => b.id)).toEqual([extra.id, h.seed.benefitIds.licenseKeys]);
    },
    strict: async (h) => {
      const product = await h.latest.products.create({
        name: "With benefits",
        prices: [{ amount_type: "fixed", price_amount: 100, price_currency: "usd" }],
      });
      const updated = await h.strict.products.updateBenefits({
        id: product.id,
        productBenefitsUpdate: { benefits: [h.seed.benefitIds.licenseKeys] },
      });
      expect(updated.benefits).toHaveLength(1);
    },
  },
  {
    operationId: "license_keys:list",
    latest: async (h) => {
      const page = await h.latest.licenseKeys.list({ benefit_id: h.seed.benefitIds.licenseKeys });
      expect(page.items.some((k) => k.key === h.seed.licenseKey)).toBe(true);
    },
    strict: async (h) => {
      const page = await h.strict.licenseKeys.list({ status: "granted", limit: 100 });
      expect(page.result.items.some((k) => k.key === h.seed.licenseKey)).toBe(true);
    },
  },
  {
    operationId: "license_keys:get",
    latest: async (h) => {
      const { key } = await grantedKey(h);
      expect(key.activations).toEqual([]);
    },
    strict: async (h) => {
      const { key } = await grantedKey(h);
      expect((await h.strict.licenseKeys.get({ id: key.id })).key).toBe(key.key);
    },
  },
  {
    operationId: "license_keys:update",
    latest: async (h) => {
      const { key } = await grantedKey(h);
      const updated = await h.latest.licenseKeys.update(key.id, { limit_usage: 5 });
      expect(updated.limit_usage).toBe(5);
    },
    strict: async (h) => {
      const { key } = await grantedKey(h);
      const updated = await h.strict.licenseKeys.update({
        id: key.id,
        licenseKeyUpdate: { status: "disabled" },
      });
      expect(updated.status).toBe("disabled");
    },
  },
  {
    operationId: "license_keys:get_activation",
    latest: async (h) => {
      const { key } = await grantedKey(h);
      const activation = await h.latest.licenseKeys.activate({
        key: key.key,
        organization_id: h.seed.organizationId,
        label: "laptop",
      });
      const read = await h.latest.licenseKeys.getActivation(key.id, activation.id);
      expect(read.label).toBe("laptop");
    },
    strict: async (h) => {
      const { key } = await grantedKey(h);
      const activation = await h.strict.licenseKeys.activate({
        key: key.key,
        organizationId: h.seed.organizationId,
        label: "desktop",
      });
      const read = await h.strict.licenseKeys.getActivation({
        id: key.id,
        activationId: activation.id,
      });
      expect(read.licenseKey.id).toBe(key.id);
    },
  },
  ...(["license_keys", "customer_portal:license_keys"] as const).flatMap(
    (area): ConformanceCase[] => {
      const latestKeys = (h: Conformance) =>
        area === "license_keys" ? h.latest.licenseKeys : h.latest.customerPortal.licenseKeys;
      const strictKeys = (h: Conformance) =>
        area === "license_keys" ? h.strict.licenseKeys : h.strict.customerPortal.licenseKeys;
      return [
        {
          operationId: `${area}:validate`,
          latest: async (h) => {
            const validated = await latestKeys(h).validate({
              key: h.seed.licenseKey,
              organization_id: h.seed.organizationId,
            });
            expect(validated.status).toBe("granted");
          },
          strict: async (h) => {
            const validated = await strictKeys(h).validate({
              key: h.seed.licenseKey,
              organizationId: h.seed.organizationId,
            });
            expect(validated.customerId).toBe(h.seed.customerId);
          },
        },
        {
          operationId: `${area}:activate`,
          latest: async (h) => {
            const { key } = await grantedKey(h);
            const activation = await latestKeys(h).activate({
              key: key.key,
              organization_id: h.seed.organizationId,
              label: "vm",
            });
            expect(activation.license_key_id).toBe(key.id);
          },
          strict: async (h) => {
            const { key } = await grantedKey(h);
            const activation = await strictKeys(h).activate({
              key: key.key,
              organizationId: h.seed.organizationId,
              label: "vm",
              meta: { os: "linux" },
            });
            expect(activation.meta).toEqual({ os: "linux" });
          },
        },
        {
          operationId: `${area}:deactivate`,
          latest: async (h) => {
            const { key } = await grantedKey(h);
            const body = { key: key.key, organization_id: h.seed.organizationId };
            const activation = await latestKeys(h).activate({ ...body, label: "vm" });
            await latestKeys(h).deactivate({ ...body, activation_id: activation.id });
          },
          strict: async (h) => {
            const { key } = await grantedKey(h);
            const body = { key: key.key, organizationId: h.seed.organizationId };
            const activation = await strictKeys(h).activate({ ...body, label: "vm" });
            await strictKeys(h).deactivate({ ...body, activationId: activation.id });
          },
        },
      ];
    },
  ),
];
