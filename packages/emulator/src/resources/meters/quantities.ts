import type { EmulatorContext } from "../../context.js";
import { invalid, validationError } from "../../http/errors.js";
import { customerByExternalId } from "../events/customers.js";
import { customerRefs, metadataConditions } from "../events/list.js";
import { METER_EVENT_KIND, refOfCustomerId } from "../events/table.js";
import { aggregateNumbers, aggregateSql, type AggregationFunction } from "./aggregation.js";
import type { MeterRecord } from "./store.js";
import { bucketOf, timeSeries, type TimeInterval } from "./timezone.js";

export interface QuantitiesQuery {
  start: string;
  end: string;
  interval: TimeInterval;
  timeZone: string;
  customerIds?: string[] | undefined;
  externalCustomerIds?: string[] | undefined;
  customerAggregation?: AggregationFunction | undefined;
  url: URL;
}

/** Polar's longest span per interval, in calendar days (`is_under_limits`). */
const MAX_SPAN_DAYS: Record<TimeInterval, number> = {
  hour: 7,
  day: 366,
  week: 7 * 53,
  month: 365 * 4,
  year: 365 * 10,
};
const EARLIEST = Date.UTC(2023, 0, 1);

/** Calendar day number of an ISO timestamp's own date (Python's `datetime.toordinal()`). */
const dayNumber = (isoTimestamp: string) =>
  Date.UTC(
    Number(isoTimestamp.slice(0, 4)),
    Number(isoTimestamp.slice(5, 7)) - 1,
    Number(isoTimestamp.slice(8, 10)),
  ) / 86_400_000;

function checkSpan(query: QuantitiesQuery, start: number, end: number): void {
  if (start < EARLIEST) {
    throw invalid(
      ["query", "start_timestamp"],
      "Input should be greater than or equal to 2023-01-01T00:00:00",
      query.start,
      "greater_than_equal",
    );
  }
  const days = dayNumber(query.end) - dayNumber(query.start);
  if (start > end || days > MAX_SPAN_DAYS[query.interval]) {
    throw validationError([
      {
        type: "value_error",
        loc: ["query"],
        msg: "The interval is too big. Try to change the interval or reduce the date range.",
        input: [query.start, query.end, query.interval],
      },
    ]);
  }
}

/**
 * `GET /v1/meters/{id}/quantities`, as Polar computes it: one point per step of
 * `generate_series(start, end, interval)` in the requested zone; each point's quantity is
 * the meter's aggregation over the events of its `date_trunc` bucket (0 when empty); the
 * total sums the buckets for count and sum, takes the max/min of non-empty buckets for max
 * and min, and for avg and unique aggregates every matching event with no time bound
 * (an upstream quirk, kept). Each bucket is one indexed range aggregation.
 */
export function meterQuantities(
  ctx: EmulatorContext,
  meter: MeterRecord,
  query: QuantitiesQuery,
): { quantities: { timestamp: string; quantity: number }[]; total: number } {
  const start = Date.parse(query.start);
  const end = Date.parse(query.end);
  checkSpan(query, start, end);

  const where = ["m.meter_id = ?", "m.kind = ?"];
  const params: unknown[] = [meter.id, METER_EVENT_KIND.usage];
  const refs = customerRefs(
    ctx,
    meter.organization_id,
    query.customerIds,
    query.externalCustomerIds,
  );
  if (refs) {
    where.push(`m.customer_ref IN (${refs.map(() => "?").join(", ")})`);
    params.push(...refs);
  }
  const metadata = metadataConditions(query.url, "e.metadata");
  const from =
    metadata.sql.length > 0
      ? "meter_events m JOIN usage_events e ON e.seq = m.event_seq"
      : "meter_events m";
  where.push(...metadata.sql);
  params.push(...metadata.params);

  const func = meter.aggregation.func;
  const db = ctx.store.db;
  const inBucket = `${where.join(" AND ")} AND m.timestamp >= ? AND m.timestamp < ?`;
  let bucketQuantity: (from: number, to: number) => number | null;
  if (query.customerAggregation) {
    const byCustomer = db.prepare(
      `SELECT ${customerKeySql(ctx, meter)} AS customer, ${aggregateSql(func)} AS q
       FROM ${from} WHERE ${inBucket} GROUP BY customer`,
    );
    const combine = query.customerAggregation;
    bucketQuantity = (a, b) => {
      const rows = byCustomer.all(...params, a, b) as { q: number | null }[];
      const values = rows.map((r) => r.q).filter((q): q is number => q !== null);
      return values.length === 0 ? null : aggregateNumbers(combine, values);
    };
  } else {
    const aggregate = db.prepare(
      `SELECT ${aggregateSql(func)} AS q FROM ${from} WHERE ${inBucket}`,
    );
    bucketQuantity = (a, b) => {
      const row = aggregate.get(...params, a, b) as { q: number | null };
      return func === "count" || func === "unique" ? row.q || null : row.q;
    };
  }

  const quantities: { timestamp: string; quantity: number }[] = [];
  const nonEmpty: number[] = [];
  for (const point of timeSeries(query.timeZone, start, end, query.interval)) {
    const [a, b] = bucketOf(query.timeZone, point, query.interval);
    const quantity = bucketQuantity(a, b);
    if (quantity !== null) nonEmpty.push(quantity);
    quantities.push({ timestamp: new Date(point).toISOString(), quantity: quantity ?? 0 });
  }

  let total: number;
  if (func === "count" || func === "sum") total = nonEmpty.reduce((x, y) => x + y, 0);
  else if (func === "max" || func === "min") total = aggregateNumbers(func, nonEmpty);
  else {
    const row = db
      .prepare(`SELECT ${aggregateSql(func)} AS q FROM ${from} WHERE ${where.join(" AND ")}`)
      .get(...params) as { q: number | null };
    total = row.q ?? 0;
  }
  return { quantities, total };
}

/**
 * Groups events by the customer they resolve to (Polar's `resolved_customer_id`): an
 * external id with a customer joins that customer's events; one without is the null group.
 */
function customerKeySql(ctx: EmulatorContext, meter: MeterRecord): string {
  const external = ctx.store.db
    .prepare(
      "SELECT DISTINCT customer_ref AS ref FROM meter_events WHERE meter_id = ? AND customer_ref LIKE 'ext:%'",
    )
    .all(meter.id) as { ref: string }[];
  const cases = external.map(({ ref }) => {
    const customer = customerByExternalId(ctx, meter.organization_id, ref.slice(4));
    const key = customer ? refOfCustomerId(customer.id) : null;
    return `WHEN ${sqlString(ref)} THEN ${key === null ? "NULL" : sqlString(key)}`;
  });
  return cases.length === 0
    ? "m.customer_ref"
    : `CASE m.customer_ref ${cases.join(" ")} ELSE m.customer_ref END`;
}

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;
