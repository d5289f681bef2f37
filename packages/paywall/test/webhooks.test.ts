// The webhook handler: signatures verified with the official SDK; a revocation blocks the
// very next call; forged or unsigned requests change nothing.
import { createHmac, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFixture } from "./emulator-fixture.js";

const SECRET = "whsec_test_secret";
const EVENT = { name: "tool_call", metadata: { tool_name: "greet" } };

/** Signs as Polar does: HMAC-SHA256 keyed by the whole secret string, `v1,<base64>`. */
function signed(payload: unknown, secret = SECRET): Request {
  const body = JSON.stringify(payload);
  const id = randomUUID();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(`${id}.${timestamp}.${body}`)
    .digest("base64");
  return new Request("http://server/polar/webhooks", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": `v1,${signature}`,
    },
    body,
  });
}

const revokedGrant = (customerId: string) => ({
  type: "benefit_grant.revoked",
  timestamp: new Date().toISOString(),
  data: { id: randomUUID(), customer_id: customerId, benefit_id: randomUUID() },
});

describe("webhook handler", () => {
  it("benefit_grant.revoked blocks the next call (the cache alone would still admit it)", async () => {
    const f = createFixture();
    const polar = f.provider();
    const onWebhook = polar.webhookHandler({ secret: SECRET });
    expect((await polar.validateLicenseKey(f.seed.licenseKey, EVENT)).valid).toBe(true);
    await f.api("POST", "/__emulator/benefit-grants/revoke", {
      customer_id: f.seed.customerId,
      benefit_id: f.seed.benefitIds.licenseKeys,
    });
    expect((await polar.validateLicenseKey(f.seed.licenseKey, EVENT)).valid).toBe(true);
    const answer = await onWebhook(signed(revokedGrant(f.seed.customerId)));
    expect(answer.status).toBe(202);
    expect(await polar.validateLicenseKey(f.seed.licenseKey, EVENT)).toMatchObject({
      valid: false,
      code: "license_key_not_granted",
    });
  });

  it("rejects a wrong signature with 403 and keeps the cache", async () => {
    const f = createFixture();
    const polar = f.provider();
    const onWebhook = polar.webhookHandler({ secret: SECRET });
    await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
    const before = f.requests.length;
    const forged = await onWebhook(signed(revokedGrant(f.seed.customerId), "whsec_other"));
    expect(forged.status).toBe(403);
    const unsigned = await onWebhook(
      new Request("http://server/", {
        method: "POST",
        body: JSON.stringify(revokedGrant(f.seed.customerId)),
      }),
    );
    expect(unsigned.status).toBe(403);
    expect((await polar.validateLicenseKey(f.seed.licenseKey, EVENT)).valid).toBe(true);
    // Nothing about the customer was asked again (background sweeps may run meanwhile).
    const perCustomer = (r: string) => /validate|\/state/.test(r);
    expect(f.requests.slice(before).filter(perCustomer)).toEqual([]);
  });

  it("customer.state_changed is applied from its payload: a benefit taken away forgets the customer; unrelated events are acknowledged and ignored", async () => {
    const f = createFixture();
    const polar = f.provider();
    const onWebhook = polar.webhookHandler({ secret: SECRET });
    expect((await polar.validateLicenseKey(f.seed.licenseKey, EVENT)).valid).toBe(true);
    const before = f.requests.length;
    // The state Polar would send after the credits benefit was revoked: the key's benefit only.
    const changed = await onWebhook(
      signed({
        type: "customer.state_changed",
        timestamp: new Date().toISOString(),
        data: {
          id: f.seed.customerId,
          granted_benefits: [{ benefit_id: f.seed.benefitIds.licenseKeys }],
          active_meters: [],
        },
      }),
    );
    expect(changed.status).toBe(202);
    expect(await changed.json()).toMatchObject({ applied: f.seed.customerId });
    await polar.validateLicenseKey(f.seed.licenseKey, EVENT);
    expect(f.requests.slice(before).filter((r) => r.endsWith("/state"))).toHaveLength(1);
    const other = await onWebhook(
      signed({
        type: "product.updated",
        timestamp: new Date().toISOString(),
        data: { id: f.seed.productId },
      }),
    );
    expect(other.status).toBe(200);
    expect(await other.json()).toMatchObject({ invalidated: null });
  });
});
