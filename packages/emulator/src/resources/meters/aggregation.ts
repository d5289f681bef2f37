import { metadataValue, stripMetadataPrefix, type FilterableEvent } from "./filter.js";

export type AggregationFunction = "count" | "sum" | "max" | "min" | "avg" | "unique";

export type Aggregation =
  | { func: "count" }
  | { func: "sum" | "max" | "min" | "avg"; property: string }
  | { func: "unique"; property: string };

/** Marks an event the aggregation excludes (the meter does not count it at all). */
export const EXCLUDED = Symbol("excluded");

/**
 * The value an event contributes to a meter, stored beside the meter link so aggregations
 * are plain SQL: count → null (rows are counted); sum/max/min/avg → the property's number,
 * and events whose property is not a JSON number are not part of the meter (Polar adds
 * `jsonb_typeof(property) = 'number'` to the meter's clause); unique → the property's JSON
 * text (distinct JSON values), null when missing so COUNT(DISTINCT) ignores it.
 */
export function aggregationValue(
  aggregation: Aggregation,
  event: FilterableEvent,
): number | string | null | typeof EXCLUDED {
  if (aggregation.func === "count") return null;
  const property = stripMetadataPrefix(aggregation.property);
  if (aggregation.func === "unique") {
    const value = metadataValue(event.metadata, property);
    return value === undefined || value === null ? null : JSON.stringify(value);
  }
  if (property === "timestamp") return event.timestamp / 1000;
  // Other built-in properties (name, source) are not numbers: nothing to aggregate.
  if (property === "name" || property === "source") return EXCLUDED;
  const value = metadataValue(event.metadata, property);
  return typeof value === "number" ? value : EXCLUDED;
}

/** The SQL aggregate over meter_events rows (alias `m`) for an aggregation function. */
export function aggregateSql(func: AggregationFunction, column = "m.value"): string {
  switch (func) {
    case "count":
      return "COUNT(*)";
    case "sum":
      return `SUM(${column})`;
    case "max":
      return `MAX(${column})`;
    case "min":
      return `MIN(${column})`;
    case "avg":
      return `AVG(${column})`;
    case "unique":
      return `COUNT(DISTINCT ${column})`;
  }
}

/** Aggregates numbers in process, as SQL would (used to combine per-customer values). */
export function aggregateNumbers(func: AggregationFunction, values: readonly number[]): number {
  if (values.length === 0) return 0;
  switch (func) {
    case "count":
      return values.length;
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "max":
      return Math.max(...values);
    case "min":
      return Math.min(...values);
    case "avg":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "unique":
      return new Set(values).size;
  }
}
