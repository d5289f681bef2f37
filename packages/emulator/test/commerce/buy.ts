import type { demoEmulator } from "../helpers.js";

type Call = ReturnType<typeof demoEmulator>["call"];

/** Creates a product (optionally monthly) with the given benefits attached, in order. */
export async function product(
  call: Call,
  options: { recurring?: boolean; benefits?: string[]; price?: number; trialDays?: number } = {},
) {
  const created = await call("POST", "/v1/products/", {
    body: {
      name: `Product ${Math.random().toString(36).slice(2, 8)}`,
      ...(options.recurring ? { recurring_interval: "month" } : {}),
      prices: [
        { amount_type: "fixed", price_amount: options.price ?? 1000, price_currency: "usd" },
      ],
    },
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  if (options.trialDays) {
    await call("PATCH", `/v1/products/${created.body.id}`, {
      body: { trial_interval: "day", trial_interval_count: options.trialDays },
    });
  }
  if (options.benefits?.length)
    await call("POST", `/v1/products/${created.body.id}/benefits`, {
      body: { benefits: options.benefits },
    });
  return created.body as { id: string };
}

export async function benefit(call: Call, body: Record<string, unknown>) {
  const created = await call("POST", "/v1/benefits/", { body });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  return created.body as { id: string };
}

/** Buys through the client API (what the hosted page does, without a browser). */
export async function checkoutAndPay(
  call: Call,
  productId: string,
  buyer: { email?: string; customerId?: string; externalId?: string } = {},
) {
  const checkout = await call("POST", "/v1/checkouts/", {
    body: {
      products: [productId],
      ...(buyer.customerId ? { customer_id: buyer.customerId } : {}),
      ...(buyer.externalId ? { external_customer_id: buyer.externalId } : {}),
      customer_email: buyer.email ?? `${Math.random().toString(36).slice(2, 8)}@example.com`,
    },
  });
  if (checkout.status !== 201) throw new Error(JSON.stringify(checkout.body));
  const confirmed = await call(
    "POST",
    `/v1/checkouts/client/${checkout.body.client_secret}/confirm`,
    {
      body: { confirmation_token_id: "tok_visa" },
    },
  );
  if (confirmed.status !== 200) throw new Error(JSON.stringify(confirmed.body));
  const done = await call("GET", `/v1/checkouts/${checkout.body.id}`);
  return done.body as {
    id: string;
    customer_id: string;
    subscription_id: string | null;
    status: string;
  };
}

export async function advance(call: Call, body: Record<string, unknown>) {
  const res = await call("POST", "/__emulator/clock/advance", { body });
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return res.body as {
    from: string;
    to: string;
    happened: { kind: string; id: string; at: string }[];
  };
}
