import type { ErrorObject } from "ajv/dist/2020.js";
import type { ValidationIssue } from "../http/errors.js";

const UNION = /^(.*?\/(?:anyOf|oneOf))\/(\d+)(?:\/|$)/;

/**
 * Of the errors a union (anyOf/oneOf) produced, keeps those of its closest branch: the one
 * with the fewest errors, ignoring `type: null` branches of nullable unions. Repeats for
 * nested unions, outermost first.
 */
function pickBranches(errors: ErrorObject[]): ErrorObject[] {
  let current = errors.filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf");
  const nonNull = current.filter((e) => !(e.keyword === "type" && e.params.type === "null"));
  if (nonNull.length > 0) current = nonNull;
  for (let guard = 0; guard < 20; guard++) {
    const prefixes = current
      .map((e) => UNION.exec(e.schemaPath)?.[1])
      .filter((p): p is string => p !== undefined)
      .sort((a, b) => a.length - b.length);
    const prefix = prefixes[0];
    if (prefix === undefined) break;
    const branches = new Map<string, ErrorObject[]>();
    const rest: ErrorObject[] = [];
    for (const error of current) {
      const match = UNION.exec(error.schemaPath);
      if (match?.[1] === prefix) {
        const key = match[2] ?? "0";
        branches.set(key, [...(branches.get(key) ?? []), error]);
      } else rest.push(error);
    }
    const best = [...branches.values()].sort((a, b) => a.length - b.length)[0] ?? [];
    // Strip the chosen union's prefix so it is not picked again.
    current = [
      ...rest,
      ...best.map((e) => ({ ...e, schemaPath: e.schemaPath.replace(UNION, "$1-chosen/") })),
    ];
  }
  return current;
}

function pointerToLoc(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function valueAt(root: unknown, loc: (string | number)[]): unknown {
  let value: unknown = root;
  for (const key of loc) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ["string_type", "Input should be a valid string"],
  integer: ["int_type", "Input should be a valid integer"],
  number: ["float_type", "Input should be a valid number"],
  boolean: ["bool_type", "Input should be a valid boolean"],
  object: ["model_type", "Input should be a valid dictionary or object"],
  array: ["list_type", "Input should be a valid list"],
};

function describe(error: ErrorObject): { type: string; msg: string } {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { type: "missing", msg: "Field required" };
    case "type": {
      const [type, msg] = TYPE_NAMES[String(p.type).split(",")[0] ?? ""] ?? [
        "type_error",
        `Input should be of type ${String(p.type)}`,
      ];
      return { type, msg };
    }
    case "format":
      if (String(p.format).startsWith("uuid"))
        return { type: "uuid_parsing", msg: "Input should be a valid UUID" };
      if (p.format === "date-time")
        return { type: "datetime_parsing", msg: "Input should be a valid datetime" };
      if (p.format === "email")
        return { type: "value_error", msg: "value is not a valid email address" };
      return { type: "value_error", msg: `Input should be a valid ${String(p.format)}` };
    case "enum":
      return {
        type: "enum",
        msg: `Input should be ${((p.allowedValues as unknown[]) ?? []).map((v) => `'${String(v)}'`).join(", ")}`,
      };
    case "const":
      return { type: "literal_error", msg: `Input should be '${String(p.allowedValue)}'` };
    case "maxLength":
      return {
        type: "string_too_long",
        msg: `String should have at most ${String(p.limit)} characters`,
      };
    case "minLength":
      return {
        type: "string_too_short",
        msg: `String should have at least ${String(p.limit)} characters`,
      };
    case "maximum":
      return {
        type: "less_than_equal",
        msg: `Input should be less than or equal to ${String(p.limit)}`,
      };
    case "exclusiveMaximum":
      return { type: "less_than", msg: `Input should be less than ${String(p.limit)}` };
    case "minimum":
      return {
        type: "greater_than_equal",
        msg: `Input should be greater than or equal to ${String(p.limit)}`,
      };
    case "exclusiveMinimum":
      return { type: "greater_than", msg: `Input should be greater than ${String(p.limit)}` };
    case "additionalProperties":
      return { type: "extra_forbidden", msg: "Extra inputs are not permitted" };
    case "maxProperties":
    case "maxItems":
      return { type: "too_long", msg: `Should have at most ${String(p.limit)} items` };
    case "minItems":
      return { type: "too_short", msg: `Should have at least ${String(p.limit)} items` };
    case "pattern":
      return {
        type: "string_pattern_mismatch",
        msg: `String should match pattern '${String(p.pattern)}'`,
      };
    default:
      return { type: "value_error", msg: error.message ?? "Invalid value" };
  }
}

/** Turns ajv's errors into Polar's 422 detail items, located under `where`. */
export function toIssues(
  errors: ErrorObject[] | null | undefined,
  where: "path" | "query" | "body",
  root: unknown,
): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of pickBranches(errors ?? [])) {
    const loc = pointerToLoc(error.instancePath);
    const p = error.params as Record<string, unknown>;
    if (error.keyword === "required") loc.push(String(p.missingProperty));
    if (error.keyword === "additionalProperties") loc.push(String(p.additionalProperty));
    const { type, msg } = describe(error);
    const key = `${loc.join(".")}|${type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const input =
      error.keyword === "required" ? valueAt(root, loc.slice(0, -1)) : valueAt(root, loc);
    issues.push({ type, loc: [where, ...loc], msg, input: input ?? null });
  }
  return issues;
}

/**
 * Polar checks `sorting` itself (its SortingGetter), not through the schema's enum: an
 * unknown criterion answers one issue at `["query", "sorting"]`, "Invalid sorting
 * criterion.", whose input is the criterion without its `-`. Rewrites the schema's issues
 * for any parameter named `sorting` into that one.
 */
export function collapseSorting(issues: ValidationIssue[]): ValidationIssue[] {
  const sorting = issues.filter((i) => i.loc[0] === "query" && i.loc[1] === "sorting");
  if (sorting.length === 0) return issues;
  const first = sorting[0]!;
  const input = typeof first.input === "string" ? first.input.replace(/^-/, "") : first.input;
  return [
    ...issues.filter((i) => !sorting.includes(i)),
    { type: "enum", loc: ["query", "sorting"], msg: "Invalid sorting criterion.", input },
  ];
}
