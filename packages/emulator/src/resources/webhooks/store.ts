import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";

/** A receiver of an organization's webhooks. */
export interface WebhookEndpointRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  url: string;
  name: string | null;
  format: "raw" | "discord" | "slack";
  /** `whsec_…`; the HMAC key is the UTF-8 bytes of the whole string, as Polar signs. */
  secret: string;
  events: string[];
  enabled: boolean;
  [key: string]: unknown;
}

export type WebhookEventStatus = "pending" | "succeeded" | "failed" | "skipped";

/** One event for one endpoint (Polar's `WebhookEvent`); its payload is fixed when it happens. */
export interface WebhookEventRecord {
  id: string;
  organization_id: string;
  endpoint_id: string;
  created_at: string;
  modified_at: string | null;
  type: string;
  /** The exact body sent: `{ type, timestamp, data }`. */
  payload: string;
  status: WebhookEventStatus;
  succeeded: boolean | null;
  last_http_code: number | null;
  /** HTTP attempts in the current round (a redelivery starts a new round). */
  attempts: number;
  /** When the next attempt is due, in epoch ms of the emulator's clock. */
  next_attempt_at: number;
  skipped: boolean;
  is_archived: boolean;
  [key: string]: unknown;
}

/** One HTTP attempt (Polar's `WebhookDelivery`). */
export interface WebhookDeliveryRecord {
  id: string;
  organization_id: string;
  endpoint_id: string;
  event_id: string;
  created_at: string;
  modified_at: string | null;
  succeeded: boolean;
  http_code: number | null;
  response: string | null;
  [key: string]: unknown;
}

export const webhookEndpoints = (ctx: EmulatorContext): Collection<WebhookEndpointRecord> =>
  ctx.store.collection<WebhookEndpointRecord>("webhook_endpoints", {});

export const webhookEvents = (ctx: EmulatorContext): Collection<WebhookEventRecord> =>
  ctx.store.collection<WebhookEventRecord>("webhook_events", {
    indexes: ["status", "endpoint_id"],
  });

export const webhookDeliveries = (ctx: EmulatorContext): Collection<WebhookDeliveryRecord> =>
  ctx.store.collection<WebhookDeliveryRecord>("webhook_deliveries", {
    indexes: ["endpoint_id", "event_id"],
  });

export function findEndpoint(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): WebhookEndpointRecord | undefined {
  const record = webhookEndpoints(ctx).get(id);
  return record && record.organization_id === organizationId ? record : undefined;
}
