import { afterEach, describe, expect, it } from "vitest";
import { advance } from "./commerce/buy.js";
import { ALL_EVENT_TYPES, startReceiver } from "./commerce/receiver.js";
import { demoEmulator } from "./helpers.js";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function setup() {
  const harness = demoEmulator();
  const receiver = await startReceiver();
  cleanup.push(
    () => harness.emulator.close(),
    () => receiver.close(),
  );
  await harness.call("POST", "/v1/webhooks/endpoints", {
    body: { url: receiver.url, format: "raw", events: [...ALL_EVENT_TYPES] },
  });
  return { ...harness, receiver };
}

type Harness = Awaited<ReturnType<typeof setup>>;

const payloads = (receiver: Harness["receiver"]) =>
  receiver.accepted().map((r) => JSON.parse(r.body) as { type: string; data: { id?: string } });

const validate = (h: Harness) =>
  h.call("POST", "/v1/customer-portal/license-keys/validate", {
    token: null,
    body: { key: h.seed.licenseKey, organization_id: h.seed.organizationId },
  });

async function demoKey(h: Harness) {
  const keys = await h.call("GET", `/v1/license-keys/?limit=100`);
  return keys.body.items.find((k: { key?: string; display_key: string }) =>
    h.seed.licenseKey.endsWith(k.display_key.slice(-6)),
  ) as { id: string; status: string };
}

async function grantOfKey(h: Harness, keyId: string) {
  const grants = await h.call(
    "GET",
    `/v1/benefit-grants/?customer_id=${h.seed.customerId}&limit=100`,
  );
  return grants.body.items.find(
    (g: { properties: { license_key_id?: string } }) => g.properties.license_key_id === keyId,
  ) as { id: string; is_granted: boolean; is_revoked: boolean };
}

describe("deleting a customer, as Polar", () => {
  it("cancels subscriptions at once and revokes every benefit, with events and webhooks", async () => {
    const h = await setup();
    const subs = await h.call("GET", `/v1/subscriptions/?customer_id=${h.seed.customerId}`);
    const subscription = subs.body.items[0];
    expect(subscription.status).toBe("active");
    const from = h.receiver.accepted().length;

    const deleted = await h.call("DELETE", `/v1/customers/${h.seed.customerId}`);
    expect(deleted.status).toBe(204);

    const after = await h.call("GET", `/v1/subscriptions/${subscription.id}`);
    expect(after.body).toMatchObject({ status: "canceled", cancel_at_period_end: false });
    expect(after.body.ended_at).not.toBeNull();
    expect(Date.parse(after.body.ended_at)).toBeLessThan(
      Date.parse(subscription.current_period_end),
    );
    const grants = await h.call(
      "GET",
      `/v1/benefit-grants/?customer_id=${h.seed.customerId}&limit=100`,
    );
    expect(grants.body.items.length).toBeGreaterThan(0);
    for (const grant of grants.body.items) expect(grant.is_revoked).toBe(true);
    expect((await validate(h)).status).toBe(404);
    const revokedEvents = await h.call(
      "GET",
      "/v1/events/?source=system&name=benefit.revoked&limit=100",
    );
    expect(revokedEvents.body.items.length).toBeGreaterThanOrEqual(grants.body.items.length);

    await h.receiver.until(() => {
      const types = payloads(h.receiver)
        .slice(from)
        .map((p) => p.type);
      return [
        "subscription.canceled",
        "subscription.revoked",
        "benefit_grant.revoked",
        "customer.deleted",
      ].every((t) => types.includes(t));
    }, "the deletion's webhooks");
    const revoked = payloads(h.receiver)
      .slice(from)
      .find((p) => p.type === "subscription.revoked");
    expect(revoked?.data.id).toBe(subscription.id);
  });

  it("leaves the clock and triggers working: nothing renews for the deleted customer", async () => {
    const h = await setup();
    await h.call("DELETE", `/v1/customers/${h.seed.customerId}`);
    const before = (await h.call("GET", "/v1/orders/?limit=100")).body.pagination.total_count;
    const moved = await advance(h.call, { months: 2 });
    expect(moved.happened.filter((e) => e.kind.startsWith("subscription"))).toEqual([]);
    const after = (await h.call("GET", "/v1/orders/?limit=100")).body.pagination.total_count;
    expect(after).toBe(before);
    const triggered = await h.call("POST", "/__emulator/trigger", {
      body: { event: "order.paid" },
    });
    expect(triggered.status).toBe(200);
    const cycled = await h.call("POST", "/__emulator/trigger", {
      body: { event: "subscription.cycled" },
    });
    expect(cycled.status).toBe(200);
  });
});

describe("PATCH /v1/license-keys/{id} with a status", () => {
  it("revoked revokes the benefit grant (system event, webhook); granted grants it again", async () => {
    const h = await setup();
    const key = await demoKey(h);
    expect((await grantOfKey(h, key.id)).is_granted).toBe(true);
    const from = h.receiver.accepted().length;

    const revoked = await h.call("PATCH", `/v1/license-keys/${key.id}`, {
      body: { status: "revoked" },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe("revoked");
    const grant = await grantOfKey(h, key.id);
    expect(grant).toMatchObject({ is_granted: false, is_revoked: true });
    const events = await h.call(
      "GET",
      `/v1/events/?source=system&name=benefit.revoked&customer_id=${h.seed.customerId}&limit=100`,
    );
    expect(events.body.items.length).toBeGreaterThan(0);
    await h.receiver.until(() =>
      payloads(h.receiver)
        .slice(from)
        .some((p) => p.type === "benefit_grant.revoked" && p.data.id === grant.id),
    );
    expect((await validate(h)).status).toBe(404);

    const restored = await h.call("PATCH", `/v1/license-keys/${key.id}`, {
      body: { status: "granted" },
    });
    expect(restored.body.status).toBe("granted");
    expect(await grantOfKey(h, key.id)).toMatchObject({ id: grant.id, is_granted: true });
    expect((await validate(h)).status).toBe(200);
  });

  it("disabled leaves the grant in force, as Polar syncs only revoked and granted", async () => {
    const h = await setup();
    const key = await demoKey(h);
    const disabled = await h.call("PATCH", `/v1/license-keys/${key.id}`, {
      body: { status: "disabled" },
    });
    expect(disabled.body.status).toBe("disabled");
    expect((await grantOfKey(h, key.id)).is_granted).toBe(true);
    expect((await validate(h)).status).toBe(404);
  });
});
