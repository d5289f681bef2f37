import { createPolar } from "@polar-sh/sdk/2026-10";
import { expect } from "vitest";
import { buy } from "./commerce.cases.js";
import type { Conformance, ConformanceCase } from "./harness.js";

/** A subscriber whose renewal was declined (the emulator's control plane): the pending order. */
async function failedRenewal(h: Conformance) {
  const bought = await buy(h, true);
  const subscription = (await h.latest.subscriptions.list({ customer_id: bought.customerId }))
    .items[0]!;
  const res = await fetch(`${h.url}/__emulator/subscriptions/${subscription.id}/renewal-failure`, {
    method: "POST",
  });
  const { order_id } = (await res.json()) as { order_id: string };
  const session = await h.latest.customerSessions.create({ customer_id: bought.customerId });
  return { ...bought, subscriptionId: subscription.id, orderId: order_id, token: session.token };
}

export const cases: ConformanceCase[] = [
  {
    operationId: "customer_portal:orders:confirm_retry_payment",
    latest: async (h) => {
      const f = await failedRenewal(h);
      const portal = createPolar({ accessToken: f.token, baseUrl: h.url }).customerPortal;
      const result = await portal.orders.confirmRetryPayment(f.orderId, {
        confirmation_token_id: "tok_visa",
        payment_processor: "stripe",
      });
      expect(result).toMatchObject({ status: "succeeded", error: null });
      expect((await h.latest.subscriptions.get(f.subscriptionId)).status).toBe("active");
      expect((await h.latest.orders.get(f.orderId)).paid).toBe(true);
    },
    strict: async (h) => {
      const f = await failedRenewal(h);
      const card = (await h.latest.customers.listPaymentMethods(f.customerId)).items[0]!;
      const result = await h.strict.customerPortal.orders.confirmRetryPayment(
        { customerSession: f.token },
        {
          id: f.orderId,
          customerOrderConfirmPayment: { paymentMethodId: card.id, paymentProcessor: "stripe" },
        },
      );
      expect(result.status).toBe("succeeded");
    },
  },
];
