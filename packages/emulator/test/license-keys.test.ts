import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

const DAY = 24 * 60 * 60 * 1000;

/** A fresh emulator plus a customer granted a key of a benefit with the given properties. */
async function keyWith(properties: Record<string, unknown>) {
  // These tests are about Polar's checks, many calls a second: the portal's 3/s limit is
  // tested on its own in rate-limit.test.ts.
  const env = demoEmulator({ portalRateLimit: false });
  const { call, seed } = env;
  const benefit = await call("POST", "/v1/benefits/", {
    body: { type: "license_keys", description: "Test keys", properties },
  });
  expect(benefit.status).toBe(201);
  const customer = await call("POST", "/v1/customers/", {
    body: { email: "k@example.com", external_id: "k-1" },
  });
  const grant = await call("POST", "/__emulator/benefit-grants", {
    body: { customer_id: customer.body.id, benefit_id: benefit.body.id },
  });
  const key = await call("GET", `/v1/license-keys/${grant.body.properties.license_key_id}`);
  const org = seed.organizationId;
  const portal = (action: string, body: Record<string, unknown>) =>
    call("POST", `/v1/customer-portal/license-keys/${action}`, {
      token: null,
      body: { key: key.body.key, organization_id: org, ...body },
    });
  return { ...env, benefit: benefit.body, customer: customer.body, key: key.body, portal };
}

const notFound = (detail: string) => ({ error: "ResourceNotFound", detail });
const notPermitted = (detail: string) => ({ error: "NotPermitted", detail });

describe("license keys: format and issue", () => {
  it("issues PREFIX-UUID keys with a display key, granted, usage 0", async () => {
    const { key, benefit, customer } = await keyWith({ prefix: "acme" });
    expect(key.key).toMatch(
      /^ACME-[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/,
    );
    expect(key).toMatchObject({
      display_key: `****-${key.key.slice(-6)}`,
      status: "granted",
      usage: 0,
      validations: 0,
      benefit_id: benefit.id,
      customer_id: customer.id,
      expires_at: null,
      limit_usage: null,
      activations: [],
    });
    expect(key.customer.id).toBe(customer.id);
  });

  it("issues plain uppercase UUIDs without a prefix, expiring after the ttl", async () => {
    const { key, emulator } = await keyWith({ expires: { ttl: 2, timeframe: "day" } });
    expect(key.key).toMatch(/^[0-9A-F-]{36}$/);
    const expected = emulator.clock.now().getTime() + 2 * DAY;
    expect(Math.abs(new Date(key.expires_at).getTime() - expected)).toBeLessThan(5_000);
  });

  it("lists keys by benefit and status", async () => {
    const { call, key, benefit } = await keyWith({});
    const listed = await call("GET", `/v1/license-keys/?benefit_id=${benefit.id}&status=granted`);
    expect(listed.body.items.map((k: { id: string }) => k.id)).toEqual([key.id]);
    const none = await call("GET", `/v1/license-keys/?benefit_id=${benefit.id}&status=revoked`);
    expect(none.body.pagination).toEqual({ total_count: 0, max_page: 0 });
  });
});

describe("license keys: validate, in Polar's order", () => {
  it("counts validations and usage, sets last_validated_at", async () => {
    const { portal } = await keyWith({ limit_usage: 10 });
    const first = await portal("validate", { increment_usage: 3 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ validations: 1, usage: 3, activation: null });
    expect(first.body.last_validated_at).toEqual(expect.any(String));
    const second = await portal("validate", {});
    expect(second.body).toMatchObject({ validations: 2, usage: 3 });
  });

  it("404 Not found for an unknown key or another organization's id", async () => {
    const { portal } = await keyWith({});
    const unknown = await portal("validate", { key: "NOPE" });
    expect(unknown).toMatchObject({ status: 404, body: notFound("Not found") });
    const otherOrg = await portal("validate", {
      organization_id: "3f0c1a52-8d1e-4c5e-9a51-6f1f9a1e2b3c",
    });
    expect(otherOrg).toMatchObject({ status: 404, body: notFound("Not found") });
  });

  it("1: a revoked or disabled key is no longer active", async () => {
    const { portal, call, key } = await keyWith({});
    await call("PATCH", `/v1/license-keys/${key.id}`, { body: { status: "disabled" } });
    const res = await portal("validate", {});
    expect(res).toMatchObject({ status: 404, body: notFound("License key is no longer active.") });
  });

  it("2: an expired key has expired (clock advanced)", async () => {
    const { portal, emulator } = await keyWith({ expires: { ttl: 1, timeframe: "day" } });
    emulator.clock.advance(2 * DAY);
    const res = await portal("validate", {});
    expect(res).toMatchObject({ status: 404, body: notFound("License key has expired.") });
  });

  it("3: an activation not of this key is not found; 3b: conditions must match", async () => {
    const { portal } = await keyWith({ activations: { limit: 2, enable_customer_admin: false } });
    const missing = await portal("validate", {
      activation_id: "3f0c1a52-8d1e-4c5e-9a51-6f1f9a1e2b3c",
    });
    expect(missing).toMatchObject({ status: 404, body: notFound("Not found") });
    const activation = await portal("activate", {
      label: "laptop",
      conditions: { machine: "m1", major: 2 },
    });
    expect(activation.status).toBe(200);
    const wrong = await portal("validate", {
      activation_id: activation.body.id,
      conditions: { machine: "m2", major: 2 },
    });
    expect(wrong).toMatchObject({
      status: 404,
      body: notFound("License key does not match required conditions"),
    });
    const right = await portal("validate", {
      activation_id: activation.body.id,
      conditions: { major: 2, machine: "m1" },
    });
    expect(right.status).toBe(200);
    expect(right.body.activation).toMatchObject({ id: activation.body.id, label: "laptop" });
  });

  it("4: benefit_id must match; 5: customer_id must match", async () => {
    const { portal, benefit, customer, seed } = await keyWith({});
    const benefitRes = await portal("validate", { benefit_id: seed.benefitIds.licenseKeys });
    expect(benefitRes).toMatchObject({
      status: 404,
      body: notFound("License key does not match given benefit."),
    });
    const customerRes = await portal("validate", { customer_id: seed.customerId });
    expect(customerRes).toMatchObject({
      status: 404,
      body: notFound("License key does not match given user."),
    });
    const ok = await portal("validate", { benefit_id: benefit.id, customer_id: customer.id });
    expect(ok.status).toBe(200);
  });

  it("6: increment_usage beyond limit_usage is a 400 with the remaining count", async () => {
    const { portal } = await keyWith({ limit_usage: 5 });
    expect((await portal("validate", { increment_usage: 4 })).status).toBe(200);
    const over = await portal("validate", { increment_usage: 2 });
    expect(over).toMatchObject({
      status: 400,
      body: { error: "BadRequest", detail: "License key only has 1 more usages." },
    });
    expect((await portal("validate", { increment_usage: 1 })).body.usage).toBe(5);
  });

  it("checks activity before expiry before benefit (order)", async () => {
    const { portal, call, key, emulator, seed } = await keyWith({
      expires: { ttl: 1, timeframe: "day" },
    });
    emulator.clock.advance(2 * DAY);
    await call("PATCH", `/v1/license-keys/${key.id}`, { body: { status: "revoked" } });
    const res = await portal("validate", { benefit_id: seed.benefitIds.licenseKeys });
    expect(res.body.detail).toBe("License key is no longer active.");
  });

  it("rejects negative increment_usage and over 50 conditions with 422", async () => {
    const { portal } = await keyWith({});
    const negative = await portal("validate", { increment_usage: -1 });
    expect(negative.status).toBe(422);
    expect(negative.body.detail[0].loc).toEqual(["body", "increment_usage"]);
    const conditions = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expect((await portal("validate", { conditions })).status).toBe(422);
  });

  it("never lets concurrent increments push usage past limit_usage", async () => {
    const { portal, call, key } = await keyWith({ limit_usage: 20 });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => portal("validate", { increment_usage: 1 })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(20);
    expect(results.filter((r) => r.status === 400)).toHaveLength(30);
    expect((await call("GET", `/v1/license-keys/${key.id}`)).body.usage).toBe(20);
  });

  it("the org endpoint needs a token with license_keys:write and the key's organization", async () => {
    const { call, key, seed } = await keyWith({});
    const body = { key: key.key, organization_id: seed.organizationId };
    expect((await call("POST", "/v1/license-keys/validate", { body, token: null })).status).toBe(
      401,
    );
    const readOnly = await call("POST", "/__emulator/tokens", {
      body: { organization_id: seed.organizationId, scopes: ["license_keys:read"] },
    });
    const forbidden = await call("POST", "/v1/license-keys/validate", {
      body,
      token: readOnly.body.token,
    });
    expect(forbidden.status).toBe(403);
    expect((await call("POST", "/v1/license-keys/validate", { body })).status).toBe(200);
  });
});

describe("license keys: activate and deactivate", () => {
  it("refuses keys without activations", async () => {
    const { portal } = await keyWith({});
    expect(await portal("activate", { label: "x" })).toMatchObject({
      status: 403,
      body: notPermitted(
        "This license key does not support activations. Use the /validate endpoint instead to check license validity.",
      ),
    });
  });

  it("enforces the activation limit and frees a seat on deactivate", async () => {
    const { portal, call, key } = await keyWith({
      activations: { limit: 1, enable_customer_admin: false },
    });
    const first = await portal("activate", { label: "a", meta: { os: "mac" } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ label: "a", meta: { os: "mac" }, license_key_id: key.id });
    expect(await portal("activate", { label: "b" })).toMatchObject({
      status: 403,
      body: notPermitted("License key activation limit already reached"),
    });
    const read = await call("GET", `/v1/license-keys/${key.id}/activations/${first.body.id}`);
    expect(read.body.license_key.id).toBe(key.id);
    const off = await portal("deactivate", { activation_id: first.body.id });
    expect(off.status).toBe(204);
    expect((await portal("deactivate", { activation_id: first.body.id })).status).toBe(404);
    expect((await portal("activate", { label: "b" })).status).toBe(200);
  });

  it("refuses inactive and expired keys", async () => {
    const { portal, call, key, emulator } = await keyWith({
      activations: { limit: 1, enable_customer_admin: false },
      expires: { ttl: 1, timeframe: "month" },
    });
    emulator.clock.advance(40 * DAY);
    expect((await portal("activate", { label: "x" })).body).toEqual(
      notPermitted("License key has expired."),
    );
    await call("PATCH", `/v1/license-keys/${key.id}`, { body: { status: "revoked" } });
    expect((await portal("activate", { label: "x" })).body).toEqual(
      notPermitted("License key is no longer active. This license key can not be activated."),
    );
  });
});

describe("license keys follow their grant", () => {
  it("revoking the grant revokes the key, re-granting restores the same key", async () => {
    const { call, key, benefit, customer, portal } = await keyWith({});
    const target = { customer_id: customer.id, benefit_id: benefit.id };
    await call("POST", "/__emulator/benefit-grants/revoke", { body: target });
    expect((await call("GET", `/v1/license-keys/${key.id}`)).body.status).toBe("revoked");
    await call("POST", "/__emulator/benefit-grants", { body: target });
    const restored = await call("GET", `/v1/license-keys/${key.id}`);
    expect(restored.body).toMatchObject({ status: "granted", key: key.key });
    expect((await portal("validate", {})).status).toBe(200);
  });

  it("deleting the customer or the benefit revokes the key", async () => {
    const { call, key, customer } = await keyWith({});
    expect((await call("DELETE", `/v1/customers/${customer.id}`)).status).toBe(204);
    expect((await call("GET", `/v1/license-keys/${key.id}`)).body.status).toBe("revoked");
    const other = await keyWith({});
    expect((await other.call("DELETE", `/v1/benefits/${other.benefit.id}`)).status).toBe(204);
    expect((await other.call("GET", `/v1/license-keys/${other.key.id}`)).body.status).toBe(
      "revoked",
    );
  });
});
