import type { EmulatorContext } from "../../context.js";
import { invalid } from "../../http/errors.js";
import { asList, pageWindow } from "../../http/list.js";
import { compileFilter, type Filter } from "../meters/filter.js";
import { filterableOf } from "../meters/matching.js";
import { customerByExternalId, customerById, refsOfCustomer } from "./customers.js";
import { METER_EVENT_KIND, refOfCustomerId, refOfExternalId, type EventRow } from "./table.js";

/** A SQL condition with its parameters. */
interface Where {
  sql: string[];
  params: unknown[];
}

/** Every `customer_ref` of the customers named by id or by external id. */
export function customerRefs(
  ctx: EmulatorContext,
  organizationId: string,
  customerIds: readonly string[] | undefined,
  externalIds: readonly string[] | undefined,
): string[] | undefined {
  if (customerIds === undefined && externalIds === undefined) return undefined;
  const refs = new Set<string>();
  for (const id of customerIds ?? []) {
    refs.add(refOfCustomerId(id));
    const customer = customerById(ctx, organizationId, id);
    if (customer) for (const ref of refsOfCustomer(customer)) refs.add(ref);
  }
  for (const externalId of externalIds ?? []) {
    refs.add(refOfExternalId(externalId));
    const customer = customerByExternalId(ctx, organizationId, externalId);
    if (customer) for (const ref of refsOfCustomer(customer)) refs.add(ref);
  }
  return [...refs];
}

/**
 * `?metadata[key]=value` (deepObject, repeatable): an event matches when each key's value is
 * one of the given ones. Values arrive as text; they match the JSON string, number or
 * boolean they spell.
 */
export function metadataConditions(url: URL, column: string): Where {
  const byKey = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    const match = /^metadata\[(.+)\]$/.exec(name);
    if (match?.[1]) byKey.set(match[1], [...(byKey.get(match[1]) ?? []), value]);
  }
  const where: Where = { sql: [], params: [] };
  for (const [key, values] of byKey) {
    const candidates = values.flatMap((v) => {
      const forms = [JSON.stringify(v)];
      if (v === "true" || v === "false" || /^-?\d+(\.\d+)?$/.test(v)) forms.push(v);
      return forms;
    });
    where.sql.push(`(${column} -> ?) IN (${candidates.map(() => "?").join(", ")})`);
    where.params.push(`$.${JSON.stringify(key)}`, ...candidates);
  }
  return where;
}

const placeholders = (values: readonly unknown[]) => values.map(() => "?").join(", ");

/** Lists events for `events:list`: filters, sorting by timestamp and page. */
export function listEvents(
  ctx: EmulatorContext,
  organizationId: string,
  query: Record<string, unknown>,
  url: URL,
): { rows: EventRow[]; total: number } {
  const where: Where = { sql: ["organization_id = ?"], params: [organizationId] };
  const add = (sql: string, ...params: unknown[]) => {
    where.sql.push(sql);
    where.params.push(...params);
  };
  const refs = customerRefs(
    ctx,
    organizationId,
    asList(query.customer_id),
    asList(query.external_customer_id),
  );
  if (refs) add(`customer_ref IN (${placeholders(refs)})`, ...refs);
  const names = asList(query.name);
  if (names) add(`name IN (${placeholders(names)})`, ...names);
  const sources = asList(query.source);
  if (sources) add(`source IN (${placeholders(sources)})`, ...sources);
  if (typeof query.start_timestamp === "string")
    add("timestamp > ?", Date.parse(query.start_timestamp));
  if (typeof query.end_timestamp === "string")
    add("timestamp < ?", Date.parse(query.end_timestamp));
  if (typeof query.query === "string") add("name LIKE ?", `%${query.query}%`);
  if (typeof query.meter_id === "string") {
    add(
      "seq IN (SELECT event_seq FROM meter_events WHERE meter_id = ? AND kind = ?)",
      query.meter_id,
      METER_EVENT_KIND.usage,
    );
  }
  if (typeof query.depth === "number") {
    const anchor = typeof query.parent_id === "string" ? query.parent_id : null;
    add(
      `id IN (WITH RECURSIVE tree(id, depth) AS (
         SELECT id, 0 FROM usage_events
           WHERE organization_id = ? AND (CASE WHEN ? IS NULL THEN parent_id IS NULL ELSE id = ? END)
         UNION ALL
         SELECT e.id, tree.depth + 1 FROM usage_events e JOIN tree ON e.parent_id = tree.id
           WHERE tree.depth < ?)
       SELECT id FROM tree)`,
      organizationId,
      anchor,
      anchor,
      query.depth,
    );
  } else if (typeof query.parent_id === "string") add("parent_id = ?", query.parent_id);
  const metadata = metadataConditions(url, "metadata");
  where.sql.push(...metadata.sql);
  where.params.push(...metadata.params);

  const sorting = asList(query.sorting) ?? ["-timestamp"];
  const order = sorting
    .map((s) => (s === "timestamp" ? "timestamp ASC, seq ASC" : "timestamp DESC, seq DESC"))
    .join(", ");
  const { limit, offset } = pageWindow(query);
  const sqlWhere = where.sql.join(" AND ");

  if (typeof query.filter === "string") {
    // A JSON meter filter: evaluated by the same engine as meters, on the SQL-filtered rows.
    let filter: Filter;
    try {
      filter = JSON.parse(query.filter) as Filter;
      if (!filter || !Array.isArray(filter.clauses)) throw new Error("not a filter");
    } catch {
      throw invalid(["query", "filter"], "Invalid filter.", query.filter);
    }
    const matches = compileFilter(filter);
    const all = (
      ctx.store.db
        .prepare(`SELECT * FROM usage_events WHERE ${sqlWhere} ORDER BY ${order}`)
        .all(...where.params) as EventRow[]
    ).filter((row) => matches(filterableOf(row)));
    return { rows: all.slice(offset, offset + limit), total: all.length };
  }
  const total = (
    ctx.store.db
      .prepare(`SELECT COUNT(*) AS n FROM usage_events WHERE ${sqlWhere}`)
      .get(...where.params) as { n: number }
  ).n;
  const rows = ctx.store.db
    .prepare(`SELECT * FROM usage_events WHERE ${sqlWhere} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...where.params, limit, offset) as EventRow[];
  return { rows, total };
}

/** Page size as Polar clamps it, for max_page. */
export const pageLimit = (query: Record<string, unknown>): number =>
  Math.min(100, Math.max(1, Number(query.limit ?? 10) || 10));
