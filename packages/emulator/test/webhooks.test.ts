import { afterEach, describe, expect, it } from "vitest";
import type { EmulatorContext } from "../src/context.js";
import { dispatcherOf } from "../src/resources/webhooks/dispatcher.js";
import { webhookDeliveries, webhookEvents } from "../src/resources/webhooks/store.js";
import { advance } from "./commerce/buy.js";
import { startReceiver, type Receiver } from "./commerce/receiver.js";
import { verifyDelivery } from "./commerce/verify.js";
import { demoEmulator } from "./helpers.js";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** An in-process emulator with a receiver subscribed to checkout events. */
async function setup(receiverOptions: Parameters<typeof startReceiver>[0] = {}) {
  // random() = 1: every retry waits the full backoff (2 s × 2^attempts), a known schedule.
  const harness = demoEmulator({ webhooks: { random: () => 1 } });
  const receiver = await startReceiver(receiverOptions);
  cleanup.push(
    () => harness.emulator.close(),
    () => receiver.close(),
  );
  const endpoint = await harness.call("POST", "/v1/webhooks/endpoints", {
    body: {
      url: `${receiver.url}/hook`,
      format: "raw",
      events: ["checkout.created", "checkout.updated"],
    },
  });
  expect(endpoint.status).toBe(201);
  return { ...harness, receiver, endpoint: endpoint.body as { id: string; secret: string } };
}

async function newCheckouts(
  call: ReturnType<typeof demoEmulator>["call"],
  productId: string,
  n: number,
) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await call("POST", "/v1/checkouts/", { body: { products: [productId] } });
    ids.push(res.body.id as string);
  }
  return ids;
}

/**
 * Advances the clock past any backoff until `done`, one delivery attempt at a time. Each
 * step first lets the attempt in flight be recorded, so its retry is scheduled from the
 * time before the advance, not after.
 */
async function drive(
  harness: {
    call: ReturnType<typeof demoEmulator>["call"];
    emulator: { context: EmulatorContext };
  },
  receiver: Receiver,
  done: () => boolean,
) {
  const dispatcher = dispatcherOf(harness.emulator.context);
  for (let i = 0; i < 500; i++) {
    await dispatcher.idle();
    if (done()) break;
    const before = receiver.all.length;
    await advance(harness.call, { minutes: 21 });
    await receiver.until(() => receiver.all.length > before || done(), "the next attempt");
  }
  expect(done()).toBe(true);
}

describe("webhook delivery", () => {
  it("signs with the whole secret: the SDK's validateEvent and standardwebhooks both accept", async () => {
    const { call, seed, receiver, endpoint } = await setup();
    const [id] = await newCheckouts(call, seed.productId, 1);
    await receiver.until(() => receiver.accepted().length === 1);
    const [delivery] = receiver.accepted();
    expect(delivery!.headers).toMatchObject({
      "user-agent": "polar.sh webhooks",
      "content-type": "application/json",
    });
    expect(delivery!.headers["webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivery!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const event = await verifyDelivery(delivery!, endpoint.secret);
    expect(event.type).toBe("checkout.created");
    expect(event.data).toMatchObject({ id, status: "open" });
    expect(Object.keys(JSON.parse(delivery!.body))).toEqual(["type", "timestamp", "data"]);
    await expect(verifyDelivery(delivery!, `${endpoint.secret}x`)).rejects.toThrow();
  });

  it("retries a failing receiver with Polar's backoff, then delivers each event once, in order", async () => {
    const { call, seed, receiver, emulator } = await setup({ failFirst: 3 });
    const ids = await newCheckouts(call, seed.productId, 3);
    await call("PATCH", `/v1/checkouts/${ids[0]}`, { body: { customer_name: "Later" } });
    // Arrived at the receiver, then recorded by the dispatcher once the answer came back.
    await receiver.until(
      () => webhookDeliveries(emulator.context).all().length === 1,
      "the first attempt to be recorded",
    );
    // The head failed once: it waits 4 s of emulator time (2 s × 2^1, full jitter) and
    // nothing behind it may overtake it meanwhile.
    const head = webhookEvents(emulator.context).findBy("status", "pending")[0]!;
    expect(head.attempts).toBe(1);
    expect(head.next_attempt_at - Date.parse(head.modified_at!)).toBe(4_000);
    expect(receiver.all).toHaveLength(1);

    await drive({ call, emulator }, receiver, () => receiver.accepted().length === 4);
    await dispatcherOf(emulator.context).idle();
    const accepted = receiver
      .accepted()
      .map((r) => JSON.parse(r.body) as { type: string; data: { id: string } });
    expect(accepted.map((e) => [e.type, e.data.id])).toEqual([
      ["checkout.created", ids[0]],
      ["checkout.created", ids[1]],
      ["checkout.created", ids[2]],
      ["checkout.updated", ids[0]],
    ]);
    // Exactly one accepted delivery per event; the failures were all the first event's.
    const acceptedIds = receiver.accepted().map((r) => r.headers["webhook-id"]);
    expect(new Set(acceptedIds).size).toBe(4);
    expect(receiver.all.slice(0, 4).map((r) => r.headers["webhook-id"])).toEqual(
      Array(4).fill(acceptedIds[0]),
    );
    expect(receiver.all.map((r) => r.status)).toEqual([500, 500, 500, 200, 200, 200, 200]);

    const log = await call("GET", "/v1/webhooks/deliveries?limit=100");
    expect(log.body.items).toHaveLength(7);
    expect(log.body.items.filter((d: { succeeded: boolean }) => !d.succeeded)).toHaveLength(3);
    expect(log.body.items[6]).toMatchObject({ succeeded: false, http_code: 500 });
  });

  it("gives up after 10 attempts and disables the endpoint after 10 failed events", async () => {
    const { call, seed, receiver, endpoint, emulator } = await setup({ status: 500 });
    await newCheckouts(call, seed.productId, 10);
    await drive({ call, emulator }, receiver, () => receiver.all.length === 100);
    await dispatcherOf(emulator.context).idle();
    const got = await call("GET", `/v1/webhooks/endpoints/${endpoint.id}`);
    expect(got.body.enabled).toBe(false);
    const ids = receiver.all.map((r) => r.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(10);
    // A disabled endpoint gets nothing more.
    await newCheckouts(call, seed.productId, 1);
    await advance(call, { hours: 1 });
    // Wait on the dispatcher's own record instead of a pause: no event is left pending (an
    // event recorded for the endpoint would be attempted or skipped) and nothing is in flight.
    const events = webhookEvents(emulator.context);
    await receiver.until(
      () => events.findBy("status", "pending").length === 0,
      "no event left pending",
    );
    await dispatcherOf(emulator.context).idle();
    expect(events.findBy("endpoint_id", endpoint.id)).toHaveLength(10);
    expect(receiver.all).toHaveLength(100);
  });

  it("redelivers an event on demand, after it succeeded", async () => {
    const { call, seed, receiver, emulator } = await setup();
    await newCheckouts(call, seed.productId, 1);
    await receiver.until(() => webhookDeliveries(emulator.context).all().length === 1);
    const log = await call("GET", "/v1/webhooks/deliveries");
    const eventId = log.body.items[0].webhook_event.id as string;
    const res = await call("POST", `/v1/webhooks/events/${eventId}/redeliver`);
    expect(res.status).toBe(202);
    await receiver.until(() => receiver.accepted().length === 2);
    expect(receiver.accepted()[1]!.headers["webhook-id"]).toBe(eventId);
    expect(receiver.accepted()[1]!.body).toBe(receiver.accepted()[0]!.body);
  });

  it("sends only the types an endpoint subscribed to", async () => {
    const { call, seed, receiver } = await setup();
    const subscriber = await startReceiver();
    cleanup.push(() => subscriber.close());
    await call("POST", "/v1/webhooks/endpoints", {
      body: { url: subscriber.url, format: "raw", events: ["customer.created"] },
    });
    await call("POST", "/v1/customers/", { body: { email: "typed@example.com" } });
    await newCheckouts(call, seed.productId, 1);
    await subscriber.until(() => subscriber.accepted().length === 1);
    await receiver.until(() => receiver.accepted().length === 1);
    expect(subscriber.types()).toEqual(["customer.created"]);
    expect(receiver.types()).toEqual(["checkout.created"]);
  });
});
