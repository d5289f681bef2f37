import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import { dispatcherOf } from "./dispatcher.js";
import { webhookEndpoints, webhookEvents } from "./store.js";

/**
 * Records one webhook event for every enabled endpoint of the organization subscribed to
 * `type`, with its payload fixed now (`{ type, timestamp, data }`), and hands it to the
 * dispatcher. Runs inside the caller's transaction: a rolled-back change sends nothing.
 * `data` is built only when some endpoint wants the type.
 */
export function publishWebhook(
  ctx: EmulatorContext,
  organizationId: string,
  type: string,
  data: () => unknown,
): void {
  const endpoints = webhookEndpoints(ctx)
    .byOrganization(organizationId)
    .filter((e) => e.enabled && e.events.includes(type));
  if (endpoints.length === 0) return;
  const now = ctx.clock.now();
  const payload = JSON.stringify({ type, timestamp: iso(now), data: data() });
  const dispatcher = dispatcherOf(ctx);
  for (const endpoint of endpoints) {
    const event = webhookEvents(ctx).insert({
      id: newId(),
      organization_id: organizationId,
      endpoint_id: endpoint.id,
      created_at: iso(now),
      modified_at: null,
      type,
      payload,
      status: "pending",
      succeeded: null,
      last_http_code: null,
      attempts: 0,
      next_attempt_at: now.getTime(),
      skipped: false,
      is_archived: false,
    });
    dispatcher.enqueue(event);
  }
}
