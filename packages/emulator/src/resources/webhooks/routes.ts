import type { EmulatorContext } from "../../context.js";
import { invalid, notFound } from "../../http/errors.js";
import { paginate } from "../../http/list.js";
import { Reply, type OperationHandlers, type OperationRequest } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import { organizationForCreate, organizationOf } from "../scope.js";
import { dispatcherOf } from "./dispatcher.js";
import { newWebhookSecret } from "./secret.js";
import { webhookDeliveryRead, webhookEndpointRead } from "./read.js";
import {
  findEndpoint,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  type WebhookEndpointRecord,
} from "./store.js";

const byId = (req: OperationRequest, ctx: EmulatorContext): WebhookEndpointRecord => {
  const record = findEndpoint(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!record) throw notFound();
  return record;
};

/** Receivers are plain http(s) URLs; the emulator delivers to loopback too (local tests). */
function assertHttpUrl(url: string): void {
  if (!/^https?:\/\//i.test(url))
    throw invalid(["body", "url"], "URL scheme should be 'http' or 'https'", url, "url_scheme");
}

export const webhookHandlers: OperationHandlers = {
  "webhooks:list_webhook_endpoints": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    return paginate(
      webhookEndpoints(ctx)
        .byOrganization(organizationId)
        .map((e) => webhookEndpointRead(ctx, e)),
      req.query,
    );
  },
  "webhooks:create_webhook_endpoint": (req, ctx) => {
    const organizationId = organizationForCreate(req.principal, req.body);
    assertHttpUrl(req.body.url);
    const endpoint = webhookEndpoints(ctx).insert({
      id: newId(),
      organization_id: organizationId,
      created_at: iso(ctx.clock.now()),
      modified_at: null,
      url: req.body.url,
      name: req.body.name ?? null,
      format: req.body.format,
      secret: newWebhookSecret(),
      events: [...new Set(req.body.events as string[])],
      enabled: true,
    });
    return webhookEndpointRead(ctx, endpoint);
  },
  "webhooks:get_webhook_endpoint": (req, ctx) => webhookEndpointRead(ctx, byId(req, ctx)),
  "webhooks:update_webhook_endpoint": (req, ctx) => {
    const endpoint = byId(req, ctx);
    const body = req.body as Partial<WebhookEndpointRecord>;
    if (body.url) assertHttpUrl(body.url);
    const updated = webhookEndpoints(ctx).put({
      ...endpoint,
      ...(body.url ? { url: body.url } : {}),
      ...("name" in body ? { name: body.name ?? null } : {}),
      ...(body.format ? { format: body.format } : {}),
      ...(body.events ? { events: [...new Set(body.events)] } : {}),
      ...(typeof body.enabled === "boolean" ? { enabled: body.enabled } : {}),
      modified_at: iso(ctx.clock.now()),
    });
    // Re-enabled: skipped events stay skipped (as Polar), new ones flow again.
    dispatcherOf(ctx).kick();
    return webhookEndpointRead(ctx, updated);
  },
  "webhooks:delete_webhook_endpoint": (req, ctx) => {
    const endpoint = byId(req, ctx);
    webhookEndpoints(ctx).delete(endpoint.id);
    return undefined;
  },
  "webhooks:reset_webhook_endpoint_secret": (req, ctx) => {
    const endpoint = byId(req, ctx);
    const updated = webhookEndpoints(ctx).put({
      ...endpoint,
      secret: newWebhookSecret(),
      modified_at: iso(ctx.clock.now()),
    });
    return webhookEndpointRead(ctx, updated);
  },
  "webhooks:list_webhook_deliveries": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    const endpointIds =
      req.query.endpoint_id === undefined ? undefined : [req.query.endpoint_id].flat().map(String);
    const succeeded = typeof req.query.succeeded === "boolean" ? req.query.succeeded : undefined;
    const start = req.query.start_timestamp
      ? new Date(String(req.query.start_timestamp))
      : undefined;
    const end = req.query.end_timestamp ? new Date(String(req.query.end_timestamp)) : undefined;
    const codeClasses =
      req.query.http_code_class === undefined
        ? undefined
        : [req.query.http_code_class].flat().map(String);
    const eventTypes =
      req.query.event_type === undefined ? undefined : [req.query.event_type].flat().map(String);
    const q = typeof req.query.query === "string" ? req.query.query : undefined;
    const rows = webhookDeliveries(ctx)
      .byOrganization(organizationId)
      .filter((d) => !endpointIds || endpointIds.includes(d.endpoint_id))
      .filter((d) => succeeded === undefined || d.succeeded === succeeded)
      .filter((d) => !start || new Date(d.created_at) >= start)
      .filter((d) => !end || new Date(d.created_at) <= end)
      .filter(
        (d) =>
          !codeClasses ||
          (d.http_code !== null && codeClasses.includes(`${String(d.http_code)[0]}xx`)),
      )
      .map((d) => ({ delivery: d, event: webhookEvents(ctx).get(d.event_id) }))
      .filter((r) => r.event !== undefined)
      .filter((r) => !eventTypes || eventTypes.includes(r.event!.type))
      .filter((r) => !q || r.event!.payload.includes(q))
      .reverse(); // newest first, as Polar lists them
    const page = paginate(rows, req.query);
    return {
      ...page,
      items: page.items.map((r) => webhookDeliveryRead(ctx, r.delivery, r.event!)),
    };
  },
  "webhooks:redeliver_webhook_event": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    const event = webhookEvents(ctx).get(req.path.id ?? "");
    if (!event || event.organization_id !== organizationId) throw notFound();
    webhookEvents(ctx).put({
      ...event,
      status: "pending",
      skipped: false,
      attempts: 0,
      next_attempt_at: ctx.clock.now().getTime(),
      modified_at: iso(ctx.clock.now()),
    });
    // Reloaded in creation order: like Polar's FIFO guard, an older event goes first.
    dispatcherOf(ctx).reload();
    return new Reply(202, {});
  },
};
