// Grants are scoped to what granted them (Polar's `get_by_benefit_and_scope`): a second
// purchase gets grants of its own, revoking one scope leaves the others in force.
import { describe, expect, it } from "vitest";
import { advanceClock } from "../src/index.js";
import { demoEmulator } from "./helpers.js";

type Harness = ReturnType<typeof demoEmulator>;

interface Grant {
  id: string;
  benefit_id: string;
  is_granted: boolean;
  subscription_id: string | null;
  order_id: string | null;
  properties: { license_key_id?: string };
}

async function meter(h: Harness) {
  const state = await h.call("GET", `/v1/customers/${h.seed.customerId}/state`);
  expect(state.status).toBe(200);
  const m = (
    state.body.active_meters as { meter_id: string; credited_units: number; balance: number }[]
  ).find((x) => x.meter_id === h.seed.meterId)!;
  return { credited: m.credited_units, balance: m.balance, state: state.body };
}

async function useCredits(h: Harness, n: number) {
  const res = await h.call("POST", "/v1/events/ingest", {
    body: {
      events: Array.from({ length: n }, () => ({
        name: "tool_call",
        customer_id: h.seed.customerId,
      })),
    },
  });
  expect(res.status).toBe(200);
}

/** Creates a checkout for the demo customer and pays it on the hosted page, as a person would. */
async function buyOnHostedPage(h: Harness, productId: string) {
  const checkout = await h.call("POST", "/v1/checkouts/", {
    body: { products: [productId], customer_id: h.seed.customerId },
  });
  expect(checkout.status).toBe(201);
  const path = new URL(checkout.body.url as string).pathname;
  const res = await h.emulator.fetch(
    new Request(`http://emulator${path}`, {
      method: "POST",
      body: new URLSearchParams({
        card_number: "4242 4242 4242 4242",
        card_expiry: "12/34",
        card_cvc: "123",
        customer_email: "demo@example.com",
      }),
    }),
  );
  return { checkout: checkout.body as { id: string; client_secret: string }, res };
}

async function grantsOf(h: Harness, benefitId: string): Promise<Grant[]> {
  const res = await h.call(
    "GET",
    `/v1/benefit-grants/?customer_id=${h.seed.customerId}&limit=100&sorting=created_at`,
  );
  return (res.body.items as Grant[]).filter((g) => g.benefit_id === benefitId);
}

const validate = (h: Harness, key: string) =>
  h.call("POST", "/v1/license-keys/validate", {
    body: { key, organization_id: h.seed.organizationId },
  });

async function keyOf(h: Harness, grant: Grant) {
  return (await h.call("GET", `/v1/license-keys/${grant.properties.license_key_id}`)).body as {
    key: string;
    status: string;
  };
}

async function orderOf(h: Harness, checkoutId: string) {
  return (await h.call("GET", `/v1/orders/?checkout_id=${checkoutId}`)).body.items[0] as {
    id: string;
    total_amount: number;
  };
}

const creditEvents = async (h: Harness) =>
  (
    (
      await h.call(
        "GET",
        `/v1/events/?source=system&customer_id=${h.seed.customerId}&name=meter.credited&sorting=timestamp&limit=100`,
      )
    ).body.items as { metadata: { units: number } }[]
  ).map((e) => e.metadata.units);

describe("benefit grants are scoped to what granted them", () => {
  it("a second purchase credits again: balance 0 → 100 after buying the credits pack", async () => {
    // Reads balances right after ingesting: opts out of Polar's debounced recompute.
    const h = demoEmulator({ instantBalances: true });
    await useCredits(h, 100);
    expect(await meter(h)).toMatchObject({ credited: 100, balance: 0 });

    const { res } = await buyOnHostedPage(h, h.seed.creditsProductId);
    expect(res.status).toBe(303);

    expect(await meter(h)).toMatchObject({ credited: 200, balance: 100 });
    expect(await creditEvents(h)).toEqual([100, 100]);
    // One entry per grant in customer state: the subscription's two and the order's two.
    const { state } = await meter(h);
    const granted = (state.granted_benefits as { benefit_id: string }[]).map((g) => g.benefit_id);
    expect(granted.filter((id) => id === h.seed.benefitIds.meterCredit)).toHaveLength(2);
    expect(granted.filter((id) => id === h.seed.benefitIds.licenseKeys)).toHaveLength(2);

    // The purchase's license_keys grant issued a key of its own; both keys validate.
    const keys = await grantsOf(h, h.seed.benefitIds.licenseKeys);
    expect(keys).toHaveLength(2);
    expect(keys.map((g) => g.is_granted)).toEqual([true, true]);
    const second = await keyOf(
      h,
      keys.find((g) => g.order_id !== null)!,
    );
    expect(second.key).not.toBe(h.seed.licenseKey);
    expect((await validate(h, second.key)).status).toBe(200);
    expect((await validate(h, h.seed.licenseKey)).status).toBe(200);
    const listed = await h.call(
      "GET",
      `/v1/license-keys/?benefit_id=${h.seed.benefitIds.licenseKeys}&limit=100`,
    );
    expect(
      (listed.body.items as { customer_id: string }[]).filter(
        (k) => k.customer_id === h.seed.customerId,
      ),
    ).toHaveLength(2);

    // And again: each purchase is a new scope.
    expect((await buyOnHostedPage(h, h.seed.creditsProductId)).res.status).toBe(303);
    expect(await meter(h)).toMatchObject({ credited: 300, balance: 200 });
    await h.emulator.close();
  });

  it("refuses a second subscription while the organization allows one (Polar's default)", async () => {
    const h = demoEmulator();
    const { checkout, res } = await buyOnHostedPage(h, h.seed.productId);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("You already have an active subscription.");
    const confirm = await h.call("POST", `/v1/checkouts/client/${checkout.client_secret}/confirm`, {
      body: { confirmation_token_id: "tok_visa" },
    });
    expect(confirm.status).toBe(403);
    expect(confirm.body).toEqual({
      error: "AlreadyActiveSubscriptionError",
      detail: "You already have an active subscription.",
    });
    // Nothing was charged or granted; the session stays open.
    expect((await h.call("GET", `/v1/checkouts/${checkout.id}`)).body.status).toBe("open");
    const orders = await h.call("GET", `/v1/orders/?customer_id=${h.seed.customerId}`);
    expect(orders.body.items).toHaveLength(1);
    expect(await meter(h)).toMatchObject({ credited: 100, balance: 100 });
    await h.emulator.close();
  });

  it("with allow_multiple_subscriptions a second subscription gets its own grants", async () => {
    const h = demoEmulator();
    const org = await h.call("GET", `/v1/organizations/${h.seed.organizationId}`);
    const updated = await h.call("PATCH", `/v1/organizations/${h.seed.organizationId}`, {
      body: {
        subscription_settings: {
          ...org.body.subscription_settings,
          allow_multiple_subscriptions: true,
        },
      },
    });
    expect(updated.status).toBe(200);
    const { checkout, res } = await buyOnHostedPage(h, h.seed.productId);
    expect(res.status).toBe(303);
    const second = (await h.call("GET", `/v1/checkouts/${checkout.id}`)).body.subscription_id;
    expect(await meter(h)).toMatchObject({ credited: 200, balance: 200 });
    const credits = await grantsOf(h, h.seed.benefitIds.meterCredit);
    expect(credits.map((g) => g.subscription_id)).toEqual([expect.any(String), second]);
    expect(credits[0]!.subscription_id).not.toBe(second);

    // Revoking the second subscription revokes its grants only.
    expect((await h.call("DELETE", `/v1/subscriptions/${second}`)).status).toBe(200);
    const after = await grantsOf(h, h.seed.benefitIds.licenseKeys);
    expect(after.map((g) => g.is_granted)).toEqual([true, false]);
    expect((await validate(h, h.seed.licenseKey)).status).toBe(200);
    expect((await keyOf(h, after[1]!)).status).toBe("revoked");
    await h.emulator.close();
  });

  it("revoking one scope's grant leaves the others in force; credits follow Polar's revoke rule", async () => {
    const h = demoEmulator();
    const { checkout } = await buyOnHostedPage(h, h.seed.creditsProductId);
    const order = await orderOf(h, checkout.id);
    expect(await meter(h)).toMatchObject({ credited: 200, balance: 200 });

    // A refund with revoke_benefits revokes the order's grants only.
    const refund = await h.call("POST", "/v1/refunds/", {
      body: {
        order_id: order.id,
        reason: "customer_request",
        amount: order.total_amount,
        revoke_benefits: true,
      },
    });
    expect(refund.status).toBe(201);
    const keys = await grantsOf(h, h.seed.benefitIds.licenseKeys);
    const fromOrder = keys.find((g) => g.order_id === order.id)!;
    const fromSubscription = keys.find((g) => g.subscription_id !== null)!;
    expect(fromOrder.is_granted).toBe(false);
    expect(fromSubscription.is_granted).toBe(true);
    // License keys revoke individually: the order's key is revoked, the seed's still validates.
    const orderKey = await keyOf(h, fromOrder);
    expect(orderKey.status).toBe("revoked");
    expect((await validate(h, orderKey.key)).status).toBe(404);
    expect((await validate(h, h.seed.licenseKey)).status).toBe(200);
    // Meter credits do not (Polar: should_revoke_individually is false): while the
    // subscription's grant keeps the benefit, the order's revoke takes no credits back.
    expect(await meter(h)).toMatchObject({ credited: 200, balance: 200 });
    const credits = await grantsOf(h, h.seed.benefitIds.meterCredit);
    expect(credits.map((g) => g.is_granted)).toEqual([true, false]);

    // The last grant's revoke takes back exactly that grant's units.
    const subscription = fromSubscription.subscription_id!;
    expect((await h.call("DELETE", `/v1/subscriptions/${subscription}`)).status).toBe(200);
    expect(await meter(h)).toMatchObject({ credited: 100, balance: 100 });
    expect(await creditEvents(h)).toEqual([100, 100, -100]);
    expect((await validate(h, h.seed.licenseKey)).status).toBe(404);
    await h.emulator.close();
  });

  it("the same scope again is idempotent: re-activating a subscription keeps its grants", async () => {
    const h = demoEmulator();
    const subscription = (await grantsOf(h, h.seed.benefitIds.meterCredit))[0]!.subscription_id!;
    await h.call("PATCH", `/v1/subscriptions/${subscription}`, {
      body: { cancel_at_period_end: true },
    });
    await h.call("PATCH", `/v1/subscriptions/${subscription}`, {
      body: { cancel_at_period_end: false },
    });
    await h.call("PATCH", `/v1/subscriptions/${subscription}`, {
      body: { metadata: { touched: "yes" } },
    });
    expect(await grantsOf(h, h.seed.benefitIds.meterCredit)).toHaveLength(1);
    expect(await grantsOf(h, h.seed.benefitIds.licenseKeys)).toHaveLength(1);
    expect(await meter(h)).toMatchObject({ credited: 100, balance: 100 });
    expect(await creditEvents(h)).toEqual([100]);
    await h.emulator.close();
  });

  it("a renewal cycles the subscription's own grants, not a purchase's", async () => {
    const h = demoEmulator();
    await buyOnHostedPage(h, h.seed.creditsProductId);
    const credits = await grantsOf(h, h.seed.benefitIds.meterCredit);
    const fromSubscription = credits.find((g) => g.subscription_id !== null)!;
    advanceClock(h.emulator, { months: 1, days: 1 });
    const cycled = await h.call(
      "GET",
      `/v1/events/?source=system&customer_id=${h.seed.customerId}&name=benefit.cycled&limit=100`,
    );
    const ids = (cycled.body.items as { metadata: { benefit_grant_id: string } }[]).map(
      (e) => e.metadata.benefit_grant_id,
    );
    const subscriptionGrantIds = [...credits, ...(await grantsOf(h, h.seed.benefitIds.licenseKeys))]
      .filter((g) => g.subscription_id !== null)
      .map((g) => g.id);
    expect(ids.sort()).toEqual(subscriptionGrantIds.sort());
    expect(ids).toContain(fromSubscription.id);
    // Every grant is still in force.
    expect((await grantsOf(h, h.seed.benefitIds.meterCredit)).map((g) => g.is_granted)).toEqual([
      true,
      true,
    ]);
    await h.emulator.close();
  });

  it("deleting the customer revokes every grant, each taking back its own credits", async () => {
    const h = demoEmulator();
    await buyOnHostedPage(h, h.seed.creditsProductId);
    const keys = await grantsOf(h, h.seed.benefitIds.licenseKeys);
    expect((await h.call("DELETE", `/v1/customers/${h.seed.customerId}`)).status).toBe(204);
    const grants = await h.call(
      "GET",
      `/v1/benefit-grants/?customer_id=${h.seed.customerId}&is_granted=true`,
    );
    expect(grants.body.items).toEqual([]);
    for (const grant of keys) expect((await keyOf(h, grant)).status).toBe("revoked");
    expect(await creditEvents(h)).toEqual([100, 100, -100, -100]);
    await h.emulator.close();
  });
});

describe("control-plane grants are standalone", () => {
  it("granting twice is idempotent among standalone grants, beside the subscription's", async () => {
    const h = demoEmulator();
    const target = { customer_id: h.seed.customerId, benefit_id: h.seed.benefitIds.licenseKeys };
    const first = await h.call("POST", "/__emulator/benefit-grants", { body: target });
    const again = await h.call("POST", "/__emulator/benefit-grants", { body: target });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(first.body).toMatchObject({
      is_granted: true,
      subscription_id: null,
      order_id: null,
    });
    expect(again.body.properties.license_key_id).toBe(first.body.properties.license_key_id);
    const keys = await grantsOf(h, h.seed.benefitIds.licenseKeys);
    expect(keys).toHaveLength(2);
    expect(new Set(keys.map((g) => g.properties.license_key_id)).size).toBe(2);

    const credit = { customer_id: h.seed.customerId, benefit_id: h.seed.benefitIds.meterCredit };
    await h.call("POST", "/__emulator/benefit-grants", { body: credit });
    await h.call("POST", "/__emulator/benefit-grants", { body: credit });
    expect(await meter(h)).toMatchObject({ credited: 200, balance: 200 });

    // A revoke naming the subscription revokes its grant only; the standalone key stays.
    const subscription = keys.find((g) => g.subscription_id !== null)!.subscription_id;
    const revoked = await h.call("POST", "/__emulator/benefit-grants/revoke", {
      body: { ...target, subscription_id: subscription },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ is_granted: false, subscription_id: subscription });
    expect((await validate(h, h.seed.licenseKey)).status).toBe(404);
    const standaloneKey = await keyOf(h, first.body as Grant);
    expect((await validate(h, standaloneKey.key)).status).toBe(200);

    // Without a scope, the revoke takes the benefit away in every scope.
    const all = await h.call("POST", "/__emulator/benefit-grants/revoke", { body: target });
    expect(all.status).toBe(200);
    expect((await validate(h, standaloneKey.key)).status).toBe(404);
    const unknownOrder = await h.call("POST", "/__emulator/benefit-grants/revoke", {
      body: { ...target, order_id: "3f0c1a52-8d1e-4c5e-9a51-6f1f9a1e2b3c" },
    });
    expect(unknownOrder.status).toBe(404);
    await h.emulator.close();
  });
});
