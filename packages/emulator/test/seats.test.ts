import { describe, expect, it } from "vitest";
import { advanceClock } from "../src/index.js";
import { demoEmulator } from "./helpers.js";

describe("seats", () => {
  it("counts seats, refuses when full or not seat-based, and expires invitations after 7 days", async () => {
    const { emulator, call } = demoEmulator();
    const subscription = (await call("GET", "/v1/subscriptions/")).body.items[0];
    const notSeatBased = await call("GET", `/v1/customer-seats?subscription_id=${subscription.id}`);
    expect(notSeatBased.status).toBe(400);

    const product = await call("POST", "/v1/products/", {
      body: {
        name: "Team",
        recurring_interval: "month",
        prices: [
          {
            amount_type: "seat_based",
            price_currency: "usd",
            seat_tiers: { tiers: [{ min_seats: 1, max_seats: null, price_per_seat: 500 }] },
          },
        ],
      },
    });
    const checkout = await call("POST", "/v1/checkouts/", {
      body: { products: [product.body.id], customer_email: "team-buyer@example.com" },
    });
    await call("POST", `/v1/checkouts/client/${checkout.body.client_secret}/confirm`, {
      body: { confirmation_token_id: "tok_visa" },
    });
    const seatSub = (await call("GET", `/v1/subscriptions/?product_id=${product.body.id}`)).body
      .items[0];
    const first = await call("POST", "/v1/customer-seats", {
      body: { subscription_id: seatSub.id, email: "one@example.com" },
    });
    expect(first.status).toBe(200);
    const full = await call("POST", "/v1/customer-seats", {
      body: { subscription_id: seatSub.id, email: "two@example.com" },
    });
    expect(full.status).toBe(400);

    const [invitation] = await (
      await emulator.fetch(new Request("http://emulator/__emulator/seat-invitations"))
    ).json();
    expect(
      (
        await call("GET", `/v1/customer-seats/claim/${invitation.invitation_token}`, {
          token: null,
        })
      ).status,
    ).toBe(200);
    advanceClock(emulator, { days: 8 });
    expect(
      (
        await call("GET", `/v1/customer-seats/claim/${invitation.invitation_token}`, {
          token: null,
        })
      ).status,
    ).toBe(404);
    // Revoking frees the seat.
    await call("DELETE", `/v1/customer-seats/${first.body.id}`);
    expect(
      (await call("GET", `/v1/customer-seats?subscription_id=${seatSub.id}`)).body.available_seats,
    ).toBe(1);
    await emulator.close();
  });
});

describe("seat and member webhooks", () => {
  it("sends customer_seat.assigned / claimed / revoked and member.created with the document's payloads", async () => {
    const { startReceiver } = await import("./commerce/receiver.js");
    const receiver = await startReceiver();
    const { emulator, call } = demoEmulator();
    const endpoint = await call("POST", "/v1/webhooks/endpoints", {
      body: {
        url: `${receiver.url}/hook`,
        format: "raw",
        events: [
          "customer_seat.assigned",
          "customer_seat.claimed",
          "customer_seat.revoked",
          "member.created",
        ],
      },
    });
    expect(endpoint.status).toBe(201);
    const product = await call("POST", "/v1/products/", {
      body: {
        name: "Team",
        recurring_interval: "month",
        prices: [
          {
            amount_type: "seat_based",
            price_currency: "usd",
            seat_tiers: { tiers: [{ min_seats: 1, max_seats: null, price_per_seat: 500 }] },
          },
        ],
      },
    });
    const checkout = await call("POST", "/v1/checkouts/", {
      body: { products: [product.body.id], customer_email: "hooks-buyer@example.com" },
    });
    await call("POST", `/v1/checkouts/client/${checkout.body.client_secret}/confirm`, {
      body: { confirmation_token_id: "tok_visa" },
    });
    const subscription = (await call("GET", `/v1/subscriptions/?product_id=${product.body.id}`))
      .body.items[0];
    const seat = await call("POST", "/v1/customer-seats", {
      body: {
        subscription_id: subscription.id,
        email: "holder@example.com",
        immediate_claim: true,
      },
    });
    expect(seat.body.status).toBe("claimed");
    await call("DELETE", `/v1/customer-seats/${seat.body.id}`);
    await receiver.until(() => receiver.types().includes("customer_seat.revoked"));
    expect(receiver.types()).toEqual([
      "customer_seat.assigned",
      "member.created",
      "customer_seat.claimed",
      "customer_seat.revoked",
    ]);
    const claimed = receiver
      .accepted()
      .map(
        (r) =>
          JSON.parse(r.body) as {
            type: string;
            data: { id: string; member: { email: string } | null };
          },
      )
      .find((e) => e.type === "customer_seat.claimed")!;
    expect(claimed.data).toMatchObject({
      id: seat.body.id,
      member: { email: "holder@example.com" },
    });
    await emulator.close();
    await receiver.close();
  });
});
