import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

describe("off-session draft orders, disputes, wallets", () => {
  it("drafts a one-time order, charges the saved card at finalize and grants the benefits; refuses subscriptions and non-drafts", async () => {
    const { emulator, seed, call } = demoEmulator();
    const recurring = await call("POST", "/v1/orders/", {
      body: { customer_id: seed.customerId, product_id: seed.productId },
    });
    expect(recurring.status).toBe(422);
    expect(recurring.body.detail[0].msg).toContain("Subscription products are not supported");

    const keysBefore = (
      await call("GET", `/v1/license-keys/?benefit_id=${seed.benefitIds.licenseKeys}`)
    ).body.items.length;
    const draft = await call("POST", "/v1/orders/", {
      body: { customer_id: seed.customerId, product_id: seed.creditsProductId, amount: 700 },
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: "draft", invoice_number: null, total_amount: 700 });
    const paid = await call("POST", `/v1/orders/${draft.body.id}/finalize`, { body: {} });
    expect(paid.body).toMatchObject({ status: "paid", paid: true });
    // The one-time pack's license-keys benefit was granted again: one more key.
    const keysAfter = (
      await call("GET", `/v1/license-keys/?benefit_id=${seed.benefitIds.licenseKeys}`)
    ).body.items.length;
    expect(keysAfter).toBe(keysBefore + 1);
    const again = await call("POST", `/v1/orders/${draft.body.id}/finalize`, { body: {} });
    expect(again.status).toBe(412);
    expect(again.body.error).toBe("OrderNotDraft");

    // A customer without a saved card cannot be charged: 402, the order stays a draft.
    const bare = await call("POST", "/v1/customers/", { body: { email: "bare@example.com" } });
    const unpaid = await call("POST", "/v1/orders/", {
      body: { customer_id: bare.body.id, product_id: seed.creditsProductId },
    });
    const failed = await call("POST", `/v1/orders/${unpaid.body.id}/finalize`, { body: {} });
    expect(failed.status).toBe(402);
    expect((await call("GET", `/v1/orders/${unpaid.body.id}`)).body.status).toBe("draft");
    await emulator.close();
  });

  it("opens a dispute on a paid order, accepts it once; credits a wallet", async () => {
    const { emulator, seed, call } = demoEmulator();
    const order = (await call("GET", "/v1/orders/")).body.items[0];
    const opened = await emulator.fetch(
      new Request("http://emulator/__emulator/disputes", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ order_id: order.id }),
      }),
    );
    const dispute = await opened.json();
    expect(dispute).toMatchObject({
      status: "needs_response",
      amount: order.net_amount,
      order_id: order.id,
      resolved: false,
    });
    expect((await call("POST", `/v1/disputes/${dispute.id}/accept`)).body).toMatchObject({
      status: "lost",
      resolved: true,
    });
    expect((await call("POST", `/v1/disputes/${dispute.id}/accept`)).status).toBe(409);

    const credit = (amount: number) =>
      emulator.fetch(
        new Request("http://emulator/__emulator/wallets/balance-transactions", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ customer_id: seed.customerId, amount }),
        }),
      );
    await credit(500);
    const wallet = await (await credit(-200)).json();
    expect(wallet.balance).toBe(300);
    await emulator.close();
  });
});
