import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

describe("customers", () => {
  it("creates, reads by id and external id, updates metadata, soft deletes", async () => {
    const { call } = demoEmulator();
    const created = await call("POST", "/v1/customers/", {
      body: { email: "a@example.com", external_id: "u-1", metadata: { plan: "pro" } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: "individual", deleted_at: null });
    const id = created.body.id as string;
    expect((await call("GET", "/v1/customers/external/u-1")).body.id).toBe(id);
    const updated = await call("PATCH", `/v1/customers/${id}`, {
      body: { metadata: { plan: "team" }, name: "A" },
    });
    expect(updated.body).toMatchObject({ metadata: { plan: "team" }, name: "A" });
    const filtered = await call("GET", "/v1/customers/?metadata[plan]=team");
    expect(filtered.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await call("DELETE", "/v1/customers/external/u-1")).status).toBe(204);
    expect((await call("GET", `/v1/customers/${id}`)).status).toBe(404);
    expect((await call("GET", "/v1/customers/external/u-1")).body).toEqual({
      error: "ResourceNotFound",
      detail: "Not found",
    });
  });

  it("rejects duplicate email and external id, and changing a set external id", async () => {
    const { call } = demoEmulator();
    const dup = await call("POST", "/v1/customers/", {
      body: { email: "DEMO@example.com", external_id: "demo-user" },
    });
    expect(dup.status).toBe(422);
    expect(dup.body.detail.map((d: { msg: string }) => d.msg)).toEqual([
      "A customer with this email address already exists.",
      "A customer with this external ID already exists.",
    ]);
    const customer = await call("GET", "/v1/customers/external/demo-user");
    const change = await call("PATCH", `/v1/customers/${customer.body.id}`, {
      body: { external_id: "other" },
    });
    expect(change.status).toBe(422);
  });

  it("paginates with a clamped limit and sorts", async () => {
    const { call } = demoEmulator();
    for (let i = 0; i < 3; i++)
      await call("POST", "/v1/customers/", { body: { email: `p${i}@example.com` } });
    const page = await call("GET", "/v1/customers/?limit=2&page=2&sorting=email");
    expect(page.body.pagination).toEqual({ total_count: 4, max_page: 2 });
    expect(page.body.items.map((c: { email: string }) => c.email)).toEqual([
      "p1@example.com",
      "p2@example.com",
    ]);
    const bad = await call("GET", "/v1/customers/?sorting=nope");
    expect(bad.status).toBe(422);
  });
});

describe("benefits", () => {
  it("validates properties per type (schema and meter existence)", async () => {
    const { call } = demoEmulator();
    const wrongType = await call("POST", "/v1/benefits/", {
      body: { type: "license_keys", description: "Keys", properties: { limit_usage: "x" } },
    });
    expect(wrongType.status).toBe(422);
    const unknownType = await call("POST", "/v1/benefits/", {
      body: { type: "nope", description: "Keys", properties: {} },
    });
    expect(unknownType.status).toBe(422);
    const meter = await call("POST", "/v1/benefits/", {
      body: {
        type: "meter_credit",
        description: "Credits",
        properties: {
          units: 10,
          rollover: false,
          meter_id: "3f0c1a52-8d1e-4c5e-9a51-6f1f9a1e2b3c",
        },
      },
    });
    expect(meter.status).toBe(422);
    expect(meter.body.detail[0]).toMatchObject({
      loc: ["body", "properties", "meter_id"],
      msg: "This meter does not exist.",
    });
  });

  it("updates, lists grants with filters, deletes (gone from reads)", async () => {
    const { call, seed } = demoEmulator();
    const id = seed.benefitIds.licenseKeys;
    const mismatch = await call("PATCH", `/v1/benefits/${id}`, {
      body: { type: "custom", description: "x" },
    });
    expect(mismatch.status).toBe(422);
    const granted = await call("GET", `/v1/benefits/${id}/grants?is_granted=true`);
    expect(granted.body.items).toHaveLength(1);
    expect(granted.body.items[0]).toMatchObject({ customer_id: seed.customerId, is_granted: true });
    const revoked = await call("GET", `/v1/benefits/${id}/grants?is_granted=false`);
    expect(revoked.body.items).toHaveLength(0);
    expect((await call("DELETE", `/v1/benefits/${id}`)).status).toBe(204);
    expect((await call("GET", `/v1/benefits/${id}`)).status).toBe(404);
  });
});

describe("products", () => {
  it("creates one-time and recurring products, archives, attaches benefits in order", async () => {
    const { call, seed } = demoEmulator();
    const oneTime = await call("POST", "/v1/products/", {
      body: { name: "Pack", prices: [{ amount_type: "fixed", price_amount: 500 }] },
    });
    expect(oneTime.status).toBe(201);
    expect(oneTime.body).toMatchObject({ is_recurring: false, recurring_interval: null });
    expect(oneTime.body.prices[0]).toMatchObject({ price_currency: "usd", price_amount: 500 });
    const second = await call("POST", "/v1/benefits/", {
      body: { type: "custom", description: "Perk", properties: {} },
    });
    const attached = await call("POST", `/v1/products/${oneTime.body.id}/benefits`, {
      body: { benefits: [second.body.id, seed.benefitIds.licenseKeys] },
    });
    expect(attached.body.benefits.map((b: { id: string }) => b.id)).toEqual([
      second.body.id,
      seed.benefitIds.licenseKeys,
    ]);
    const missing = await call("POST", `/v1/products/${oneTime.body.id}/benefits`, {
      body: { benefits: ["3f0c1a52-8d1e-4c5e-9a51-6f1f9a1e2b3c"] },
    });
    expect(missing.status).toBe(422);
    const archived = await call("PATCH", `/v1/products/${oneTime.body.id}`, {
      body: { is_archived: true },
    });
    expect(archived.body.is_archived).toBe(true);
    const live = await call("GET", "/v1/products/?is_archived=false");
    const liveIds = live.body.items.map((p: { id: string }) => p.id);
    expect(liveIds).toContain(seed.productId);
    expect(liveIds).not.toContain(oneTime.body.id);
  });
});

describe("bad input never gives a 500", () => {
  it("answers Polar's errors for malformed, mistyped, oversized and non-UUID input", async () => {
    const { call } = demoEmulator();
    const malformed = await call("POST", "/v1/customers/", { raw: "{" });
    expect(malformed.status).toBe(422);
    const wrongType = await call("POST", "/v1/customers/", { body: { email: 42 } });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.error).toBe("RequestValidationError");
    const array = await call("POST", "/v1/license-keys/validate", { body: [1, 2] });
    expect(array.status).toBe(422);
    const nonUuid = await call("GET", "/v1/license-keys/123");
    expect(nonUuid.status).toBe(422);
    expect(nonUuid.body.detail[0]).toMatchObject({ loc: ["path", "id"], type: "uuid_parsing" });
    const big = await call("POST", "/v1/customers/", {
      raw: JSON.stringify({ email: "x@example.com", name: "x".repeat(11 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(big.body.error).toBe("RequestEntityTooLarge");
  });
});
