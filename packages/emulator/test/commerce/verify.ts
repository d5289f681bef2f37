import { webhooks } from "@polar-sh/sdk/2026-10";
import { Webhook } from "standardwebhooks";
import type { Received } from "./receiver.js";

/**
 * Verifies one delivery both ways: the official SDK's `validateEvent` (which tries the
 * secret's UTF-8 bytes) and the `standardwebhooks` package keyed as Polar keys it (the
 * base64 of the whole secret string). Returns the parsed payload.
 */
export async function verifyDelivery(received: Received, secret: string) {
  const event = (await webhooks.validateEvent(
    received.body,
    received.headers,
    secret,
  )) as unknown as {
    type: string;
    timestamp: string;
    data: Record<string, unknown>;
  };
  const standard = new Webhook(Buffer.from(secret, "utf8").toString("base64"));
  const again = standard.verify(received.body, received.headers) as { type: string };
  if (again.type !== event.type) throw new Error("standardwebhooks disagrees with the SDK");
  return event;
}
