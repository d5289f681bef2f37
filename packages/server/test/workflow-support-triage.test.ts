// Seed 001, workflow 1: a customer says they lost a benefit. The agent finds them by
// email and by external id, reads their customer state and benefit grants, sees the
// revoked grant and its revoked license key, and re-checks once access is restored. Every
// step is an MCP tool call against the emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "./helpers.js";
import { connectToEmulator, type EmulatorSession, type Page } from "./emulator.js";

interface Customer {
  id: string;
  email: string;
  external_id: string | null;
}
interface Grant {
  id: string;
  customer_id: string;
  benefit_id: string;
  is_granted: boolean;
  is_revoked: boolean;
  granted_at: string | null;
  revoked_at: string | null;
  properties: { license_key_id?: string; display_key?: string };
}
interface CustomerState extends Customer {
  granted_benefits: { id: string; benefit_id: string; benefit_type: string }[];
  active_subscriptions: unknown[];
}
interface LicenseKey {
  id: string;
  key: string;
  status: string;
  customer_id: string;
  benefit_id: string;
}

const EMAIL = "sarah@acmecorp.com";
const CRM_ID = "crm_sarah_42";

describe("workflow: support triage of a lost benefit (emulator)", () => {
  let s: EmulatorSession;
  let customerId: string;
  let benefitId: string;
  let grant: Grant;

  beforeAll(async () => {
    s = await connectToEmulator();
    // The incident: Sarah is created through MCP, gets the demo product's license-key
    // benefit, and later loses it (the control plane stands in for Polar's lifecycle).
    const created = await s.ok<Customer>("customers_create", {
      email: EMAIL,
      name: "Sarah Connor",
      external_id: CRM_ID,
    });
    customerId = created.id;
    benefitId = s.seed.benefitIds.licenseKeys;
    await s.control("benefit-grants", { customer_id: customerId, benefit_id: benefitId });
    await s.control("benefit-grants/revoke", { customer_id: customerId, benefit_id: benefitId });
  });
  afterAll(() => s.close());

  it("finds the customer by email and by external id, and they are the same customer", async () => {
    const byEmail = await s.ok<Page<Customer>>("customers_list", { email: EMAIL });
    expect(byEmail.items.map((c) => c.id)).toEqual([customerId]);
    expect(byEmail.items[0]).toMatchObject({ email: EMAIL, external_id: CRM_ID });
    expect(byEmail.pagination).toMatchObject({ total_count: 1, page: 1, next_page: null });

    const byExternal = await s.ok<Customer>("customers_get_external", { external_id: CRM_ID });
    expect(byExternal.id).toBe(customerId);
  });

  it("sees in the customer state that the benefit is no longer granted", async () => {
    const state = await s.ok<CustomerState>("customers_get_state", { id: customerId });
    expect(state.id).toBe(customerId);
    expect(state.email).toBe(EMAIL);
    expect(state.active_subscriptions).toEqual([]);
    expect(state.granted_benefits.map((g) => g.benefit_id)).not.toContain(benefitId);

    const external = await s.ok<CustomerState>("customers_get_state_external", {
      external_id: CRM_ID,
    });
    expect(external.id).toBe(customerId);
    expect(external.granted_benefits).toEqual(state.granted_benefits);
  });

  it("audits the benefit's grants for this customer and finds the revoked one", async () => {
    const benefits = await s.ok<Page<{ id: string; type: string }>>("benefits_list", {
      type: "license_keys",
    });
    expect(benefits.items.map((b) => b.id)).toContain(benefitId);

    const grants = await s.ok<Page<Grant>>("benefits_grants", {
      id: benefitId,
      customer_id: customerId,
    });
    expect(grants.items).toHaveLength(1);
    grant = grants.items[0] as Grant;
    expect(grant).toMatchObject({
      customer_id: customerId,
      benefit_id: benefitId,
      is_granted: false,
      is_revoked: true,
    });
    expect(grant.revoked_at).toEqual(expect.any(String));
    expect(grant.properties.license_key_id).toEqual(expect.any(String));

    const granted = await s.ok<Page<Grant>>("benefits_grants", {
      id: benefitId,
      customer_id: customerId,
      is_granted: true,
    });
    expect(granted.items).toEqual([]);
  });

  it("follows the grant to its license key: revoked, and validation refuses it", async () => {
    const key = await s.ok<LicenseKey>("license_keys_get", {
      id: grant.properties.license_key_id,
    });
    expect(key).toMatchObject({
      id: grant.properties.license_key_id,
      status: "revoked",
      customer_id: customerId,
      benefit_id: benefitId,
    });

    const listed = await s.ok<Page<LicenseKey>>("license_keys_list", { benefit_id: benefitId });
    expect(listed.items.find((k) => k.id === key.id)?.status).toBe("revoked");

    const refused = await s.fails("license_keys_validate", {
      key: key.key,
      organization_id: s.seed.organizationId,
    });
    expect(refused.structuredContent).toMatchObject({ status: 404, error: "ResourceNotFound" });
    expect(textOf(refused)).toContain("License key is no longer active.");
  });

  it("re-checks after access is restored: granted again, same key, validates", async () => {
    await s.control("benefit-grants", { customer_id: customerId, benefit_id: benefitId });

    const grants = await s.ok<Page<Grant>>("benefits_grants", {
      id: benefitId,
      customer_id: customerId,
    });
    expect(grants.items).toHaveLength(1);
    expect(grants.items[0]).toMatchObject({ id: grant.id, is_granted: true, is_revoked: false });

    const state = await s.ok<CustomerState>("customers_get_state", { id: customerId });
    expect(state.granted_benefits).toContainEqual(
      expect.objectContaining({
        id: grant.id,
        benefit_id: benefitId,
        benefit_type: "license_keys",
      }),
    );

    const key = await s.ok<LicenseKey>("license_keys_get", {
      id: grant.properties.license_key_id,
    });
    expect(key.status).toBe("granted");
    const validated = await s.ok<LicenseKey & { customer: { id: string } }>(
      "license_keys_validate",
      { key: key.key, organization_id: s.seed.organizationId },
    );
    expect(validated).toMatchObject({ id: key.id, status: "granted", customer_id: customerId });
    expect(validated.customer.id).toBe(customerId);
  });
});
