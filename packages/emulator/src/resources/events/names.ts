import type { EmulatorContext } from "../../context.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationRequest } from "../../http/operation.js";
import { findCustomer, findCustomerByExternalId } from "../customers/store.js";
import { eventTypes } from "../event-types/routes.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";
import { SYSTEM_LABELS } from "./read.js";
import { refOfCustomerId, refOfExternalId, usageTables } from "./table.js";

interface NameStats {
  name: string;
  source: "user" | "system";
  occurrences: number;
  first: number;
  last: number;
}

/**
 * The customer refs a `customer_id` / `external_customer_id` filter covers. As Polar's
 * list_names, each side is widened with the other's: a customer's events sent by external id
 * count for its id, and the reverse.
 */
function customerRefs(
  ctx: EmulatorContext,
  organizationId: string,
  query: Record<string, unknown>,
): string[] | null {
  const ids = asList(query.customer_id);
  const externalIds = asList(query.external_customer_id);
  if (ids === undefined && externalIds === undefined) return null;
  const refs = new Set<string>();
  for (const id of ids ?? []) {
    refs.add(refOfCustomerId(id));
    const external = findCustomer(ctx, organizationId, id)?.external_id;
    if (external) refs.add(refOfExternalId(external));
  }
  for (const externalId of externalIds ?? []) {
    refs.add(refOfExternalId(externalId));
    const customer = findCustomerByExternalId(ctx, organizationId, externalId);
    if (customer) refs.add(refOfCustomerId(customer.id));
  }
  return [...refs];
}

/**
 * `GET /v1/events/names`: each (name, source) the organization's events use, with
 * occurrences and first/last seen, labelled by its event type (system events by Polar's
 * labels); filters by customer, source and a name query; sorted `-last_seen` by default.
 */
export function listEventNames(req: OperationRequest, ctx: EmulatorContext) {
  const organizationId = organizationOf(req.principal);
  if (!organizationFilterAdmits(req.query.organization_id, organizationId))
    return paginate([], req.query);
  usageTables(ctx);
  const refs = customerRefs(ctx, organizationId, req.query);
  if (refs !== null && refs.length === 0) return paginate([], req.query);
  const where = ["organization_id = ?"];
  const params: unknown[] = [organizationId];
  if (refs !== null) {
    where.push(`customer_ref IN (${refs.map(() => "?").join(", ")})`);
    params.push(...refs);
  }
  const sources = asList(req.query.source);
  if (sources) {
    where.push(`source IN (${sources.map(() => "?").join(", ")})`);
    params.push(...sources);
  }
  const search = typeof req.query.query === "string" ? req.query.query : "";
  if (search !== "") {
    where.push("instr(lower(name), lower(?)) > 0");
    params.push(search);
  }
  const stats = ctx.store.db
    .prepare(
      `SELECT name, source, COUNT(*) AS occurrences, MIN(timestamp) AS first, MAX(timestamp) AS last
       FROM usage_events WHERE ${where.join(" AND ")} GROUP BY name, source`,
    )
    .all(...params) as NameStats[];
  const labels = new Map(
    eventTypes(ctx)
      .byOrganization(organizationId)
      .map((type) => [type.name, type.label]),
  );
  const sorted = sortBy(
    stats,
    req.query.sorting,
    {
      name: (s) => s.name,
      occurrences: (s) => s.occurrences,
      first_seen: (s) => s.first,
      last_seen: (s) => s.last,
    },
    ["-last_seen"],
  );
  const page = paginate(sorted, req.query);
  return {
    ...page,
    items: page.items.map((s) => ({
      name: s.name,
      label:
        s.source === "system"
          ? (SYSTEM_LABELS[s.name] ?? labels.get(s.name) ?? s.name)
          : (labels.get(s.name) ?? s.name),
      source: s.source,
      occurrences: s.occurrences,
      first_seen: new Date(s.first).toISOString(),
      last_seen: new Date(s.last).toISOString(),
    })),
  };
}
