import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

describe("demo seed and benefit grants", () => {
  it("seeds an organization, product, benefit, customer and granted DEMO key", async () => {
    const { seed, emulator } = demoEmulator();
    expect(seed).toMatchObject({
      organizationSlug: "polar-mcp-demo",
      externalCustomerId: "demo-user",
      benefitIds: { licenseKeys: expect.any(String) },
    });
    expect(seed.accessToken).toMatch(/^polar_oat_/);
    expect(seed.licenseKey).toMatch(
      /^DEMO-[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/,
    );
    await emulator.close();
  });

  it("is idempotent: seeding twice returns the same data", async () => {
    const { emulator, seed, call } = demoEmulator();
    const again = await call("POST", "/__emulator/seed/demo");
    expect(again.body).toEqual(seed);
    await emulator.close();
  });

  it("revokes and restores the same key through the control plane", async () => {
    const { seed, call } = demoEmulator();
    // The seed's key is its subscription's grant: the control plane names that scope.
    const subscription = (await call("GET", `/v1/subscriptions/?customer_id=${seed.customerId}`))
      .body.items[0];
    const target = {
      customer_id: seed.customerId,
      benefit_id: seed.benefitIds.licenseKeys,
      subscription_id: subscription.id,
    };
    const validate = () =>
      call("POST", "/v1/customer-portal/license-keys/validate", {
        token: null,
        body: { key: seed.licenseKey, organization_id: seed.organizationId },
      });
    const revoked = await call("POST", "/__emulator/benefit-grants/revoke", { body: target });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ is_granted: false, is_revoked: true });
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    const refused = await validate();
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual({
      error: "ResourceNotFound",
      detail: "License key is no longer active.",
    });
    const granted = await call("POST", "/__emulator/benefit-grants", { body: target });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ is_granted: true, is_revoked: false });
    expect(granted.body.properties.display_key).toBe(`****-${seed.licenseKey.slice(-6)}`);
    const ok = await validate();
    expect(ok.status).toBe(200);
    expect(ok.body.key).toBe(seed.licenseKey);
  });

  it("rejects control-plane grants with bad ids or unknown customers", async () => {
    const { seed, call } = demoEmulator();
    const bad = await call("POST", "/__emulator/benefit-grants", {
      body: { customer_id: "nope", benefit_id: seed.benefitIds.licenseKeys },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(["body", "customer_id"]);
    const unknown = await call("POST", "/__emulator/benefit-grants", {
      body: {
        customer_id: "3f0c1a52-8d1e-4c5e-9a51-6f1f9a1e2b3c",
        benefit_id: seed.benefitIds.licenseKeys,
      },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: "ResourceNotFound", detail: "Customer not found." });
  });
});
