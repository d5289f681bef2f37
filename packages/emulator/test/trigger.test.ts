import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createControlClient, startEmulator, type RunningEmulator } from "../src/index.js";
import { ALL_EVENT_TYPES, startReceiver, type Receiver } from "./commerce/receiver.js";
import { verifyDelivery } from "./commerce/verify.js";

let running: RunningEmulator;
let receiver: Receiver;
let secret: string;
let control: ReturnType<typeof createControlClient>;

beforeAll(async () => {
  running = await startEmulator({ seed: "demo" });
  receiver = await startReceiver();
  control = createControlClient({ url: running.url });
  const res = await fetch(`${running.url}/v1/webhooks/endpoints`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${running.seed!.accessToken}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({
      url: receiver.url,
      format: "raw",
      events: [
        ...ALL_EVENT_TYPES,
        "product.created",
        "product.updated",
        "benefit.created",
        "benefit.updated",
        "discount.created",
        "discount.updated",
        "discount.deleted",
        "organization.updated",
      ],
    }),
  });
  secret = ((await res.json()) as { secret: string }).secret;
});

afterAll(async () => {
  await running?.close();
  await receiver?.close();
});

describe("trigger: a realistic chain per webhook event", () => {
  it("order.paid runs a checkout paid with the test card, with overrides", async () => {
    const answer = await control.trigger("order.paid", {
      "customer.email": "triggered@example.com",
      "metadata.source": "cli",
    });
    const headers = { authorization: `Bearer ${running.seed!.accessToken}` };
    const order = await (
      await fetch(`${running.url}/v1/orders/${answer.order_id}`, { headers })
    ).json();
    expect(order).toMatchObject({
      status: "paid",
      billing_reason: "purchase",
      metadata: { source: "cli" },
      customer: { email: "triggered@example.com" },
    });
    await receiver.until(() =>
      receiver
        .accepted()
        .some((r) => r.body.includes('"order.paid"') && r.body.includes(String(answer.order_id))),
    );
    const paid = receiver.accepted().find((r) => r.body.includes('"type":"order.paid"'))!;
    expect((await verifyDelivery(paid, secret)).data).toMatchObject({ id: answer.order_id });
  });

  it("can cause every event type it lists, each delivered", async () => {
    const events = await control.events();
    expect(events).toContain("subscription.cycled");
    for (const event of events) {
      const before = receiver.accepted().length;
      await control.trigger(event);
      await receiver.until(
        () => receiver.types().slice(before).includes(event),
        `${event} after triggering it`,
      );
    }
  });

  it("refuses unknown events and override paths, saying what exists", async () => {
    await expect(control.trigger("order.teleported")).rejects.toThrow(
      /Unknown event; one of: .*order.paid/,
    );
    await expect(control.trigger("order.paid", { "customer.shoe_size": "42" })).rejects.toThrow(
      /Unknown override path; use one of: customer.email/,
    );
  });
});
