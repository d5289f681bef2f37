import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import type { Collection } from "../../store/collection.js";
import { findCustomer, findCustomerByExternalId } from "../customers/store.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";

/** An event name's settings (its label); created the first time the name is listed. */
interface EventTypeRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  name: string;
  label: string;
  label_property_selector: string | null;
  [key: string]: unknown;
}

export const eventTypes = (ctx: EmulatorContext): Collection<EventTypeRecord> =>
  ctx.store.collection<EventTypeRecord>("event_types", {});

interface Stats {
  name: string;
  source: string;
  occurrences: number;
  first: number;
  last: number;
}

/** Per (name, source): how often and when, over the organization's ingested events. */
function stats(
  ctx: EmulatorContext,
  organizationId: string,
  customerRefs: string[] | null,
): Stats[] {
  const where = customerRefs
    ? `AND customer_ref IN (${customerRefs.map(() => "?").join(",")})`
    : "";
  return ctx.store.db
    .prepare(
      `SELECT name, source, COUNT(*) AS occurrences, MIN(timestamp) AS first, MAX(timestamp) AS last
       FROM usage_events WHERE organization_id = ? ${where} GROUP BY name, source`,
    )
    .all(organizationId, ...(customerRefs ?? [])) as Stats[];
}

function typeOf(ctx: EmulatorContext, organizationId: string, name: string): EventTypeRecord {
  const known = eventTypes(ctx)
    .byOrganization(organizationId)
    .find((t) => t.name === name);
  if (known) return known;
  return eventTypes(ctx).insert({
    id: newId(),
    organization_id: organizationId,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    name,
    label: name,
    label_property_selector: null,
  });
}

export const eventTypeHandlers: OperationHandlers = {
  "event-types:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    let refs: string[] | null = null;
    const customer =
      typeof req.query.customer_id === "string"
        ? findCustomer(ctx, organizationId, req.query.customer_id)
        : typeof req.query.external_customer_id === "string"
          ? findCustomerByExternalId(ctx, organizationId, req.query.external_customer_id)
          : undefined;
    if (req.query.customer_id !== undefined || req.query.external_customer_id !== undefined) {
      refs = customer
        ? [`id:${customer.id}`, ...(customer.external_id ? [`ext:${customer.external_id}`] : [])]
        : [];
    }
    const q = typeof req.query.query === "string" ? req.query.query.toLowerCase() : undefined;
    const source = typeof req.query.source === "string" ? req.query.source : undefined;
    const rows = stats(ctx, organizationId, refs)
      .filter((s) => !source || s.source === source)
      .filter((s) => !q || s.name.toLowerCase().includes(q))
      .map((s) => ({ ...typeOf(ctx, organizationId, s.name), ...s }));
    const sorted = sortBy(
      rows,
      req.query.sorting,
      {
        name: (r) => r.name,
        label: (r) => r.label,
        occurrences: (r) => r.occurrences,
        first_seen: (r) => r.first,
        last_seen: (r) => r.last,
      },
      ["-last_seen"],
    );
    const page = paginate(sorted, req.query);
    return {
      ...page,
      items: page.items.map((r) =>
        ctx.shaper.shape("EventTypeWithStats", {
          ...r,
          first_seen: new Date(r.first).toISOString(),
          last_seen: new Date(r.last).toISOString(),
        }),
      ),
    };
  },
  "event-types:update": (req, ctx) => {
    const record = eventTypes(ctx).get(req.path.id ?? "");
    if (!record || record.organization_id !== organizationOf(req.principal)) throw notFound();
    const body = req.body as { label: string; label_property_selector?: string | null };
    const saved = eventTypes(ctx).put({
      ...record,
      label: body.label,
      label_property_selector: body.label_property_selector ?? null,
      modified_at: iso(ctx.clock.now()),
    });
    return ctx.shaper.shape("EventType", saved);
  },
};
