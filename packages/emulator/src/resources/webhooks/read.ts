import type { EmulatorContext } from "../../context.js";
import type { WebhookDeliveryRecord, WebhookEndpointRecord, WebhookEventRecord } from "./store.js";

export const webhookEndpointRead = (ctx: EmulatorContext, endpoint: WebhookEndpointRecord) =>
  ctx.shaper.shape("WebhookEndpoint", endpoint);

export const webhookEventRead = (ctx: EmulatorContext, event: WebhookEventRecord) =>
  ctx.shaper.shape("WebhookEvent", event);

export const webhookDeliveryRead = (
  ctx: EmulatorContext,
  delivery: WebhookDeliveryRecord,
  event: WebhookEventRecord,
) =>
  ctx.shaper.shape("WebhookDelivery", { ...delivery, webhook_event: webhookEventRead(ctx, event) });
