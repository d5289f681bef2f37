/**
 * Polar's meter filter model, evaluated in process: a meter's filter is compiled once into
 * a predicate and run on every ingested event (Polar does the same matching in SQL).
 *
 * The rules, from Polar's server: built-in properties (`name`, `source`, `timestamp` in
 * epoch seconds) only compare with a value of their own type; a metadata property compares
 * as a string when it is a string (the value is stringified, booleans as "t"/"f"), as a
 * number only against an integer value, as a boolean only against a boolean; `like` and
 * `not_like` compare the property's text with SQL LIKE `%value%`; a missing property never
 * matches, not even `ne` or `not_like`. An empty clause list matches everything.
 */

export type FilterOperator = "eq" | "ne" | "gt" | "gte" | "lt" | "lte" | "like" | "not_like";
export type ClauseValue = string | number | boolean;

export interface FilterClause {
  property: string;
  operator: FilterOperator;
  value: ClauseValue;
}

export interface Filter {
  conjunction: "and" | "or";
  clauses: (FilterClause | Filter)[];
}

/** What a filter sees of an event. */
export interface FilterableEvent {
  name: string;
  source: string;
  /** Epoch milliseconds. */
  timestamp: number;
  metadata: Record<string, unknown>;
}

export type EventPredicate = (event: FilterableEvent) => boolean;

const METADATA_PREFIX = "metadata.";

/** `metadata.foo` and `foo` name the same property, as in Polar. */
export const stripMetadataPrefix = (property: string): string =>
  property.startsWith(METADATA_PREFIX) ? property.slice(METADATA_PREFIX.length) : property;

/** Reads a metadata property; dots walk into nested objects (`_llm.input_tokens`). */
export function metadataValue(metadata: Record<string, unknown>, path: string): unknown {
  if (path in metadata) return metadata[path];
  let value: unknown = metadata;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

type Built = "name" | "source" | "timestamp";
const BUILT_INS: Record<Built, "string" | "number"> = {
  name: "string",
  source: "string",
  timestamp: "number",
};
const isBuiltIn = (property: string): property is Built => property in BUILT_INS;

function compare<T extends string | number>(operator: FilterOperator, a: T, b: T): boolean {
  switch (operator) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    case "gt":
      return a > b;
    case "gte":
      return a >= b;
    case "lt":
      return a < b;
    case "lte":
      return a <= b;
    default:
      return false;
  }
}

/** SQL `LIKE '%value%'` as PostgreSQL reads it: `%` and `_` are wildcards, `\` escapes, case matters. */
export function likePattern(value: string): RegExp {
  let source = "";
  for (let i = 0; i < value.length; i++) {
    const char = value[i] ?? "";
    if (char === "\\" && i + 1 < value.length) {
      source += (value[++i] ?? "").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    } else if (char === "%") source += "[\\s\\S]*";
    else if (char === "_") source += "[\\s\\S]";
    else source += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(source);
}

/** How PostgreSQL's `->>` renders a JSON scalar as text. */
function jsonText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** Polar stringifies a clause value for string comparisons: booleans become "t" / "f". */
const clauseText = (value: ClauseValue): string =>
  typeof value === "boolean" ? (value ? "t" : "f") : String(value);

function compileClause(clause: FilterClause): EventPredicate {
  const property = stripMetadataPrefix(clause.property);
  const { operator, value } = clause;
  const like = operator === "like" || operator === "not_like";
  const pattern = like ? likePattern(clauseText(value)) : undefined;
  const matchesLike = (text: string) => (operator === "like") === (pattern?.test(text) ?? false);

  if (isBuiltIn(property)) {
    const type = BUILT_INS[property];
    // A value of the wrong type never matches a built-in property.
    if (typeof value !== type) return () => false;
    if (property === "timestamp") {
      return (event) => compare(operator, event.timestamp / 1000, value as number);
    }
    return (event) => {
      const text = property === "name" ? event.name : event.source;
      return like ? matchesLike(text) : compare(operator, text, value as string);
    };
  }

  if (like) {
    return (event) => {
      const text = jsonText(metadataValue(event.metadata, property));
      return text !== undefined && matchesLike(text);
    };
  }
  const text = clauseText(value);
  return (event) => {
    const actual = metadataValue(event.metadata, property);
    switch (typeof actual) {
      case "string":
        return compare(operator, actual, text);
      case "number":
        return typeof value === "number" && compare(operator, actual, value);
      case "boolean":
        return typeof value === "boolean" && compare(operator, Number(actual), Number(value));
      default:
        // Missing, null or structured: never matches, whatever the operator.
        return false;
    }
  };
}

/** Compiles a filter (nested `and` / `or` groups of clauses) into a predicate. */
export function compileFilter(filter: Filter): EventPredicate {
  const parts = filter.clauses.map((clause) =>
    "clauses" in clause ? compileFilter(clause) : compileClause(clause),
  );
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0] as EventPredicate;
  return filter.conjunction === "and"
    ? (event) => parts.every((part) => part(event))
    : (event) => parts.some((part) => part(event));
}
