import { describe, expect, it } from "vitest";
import { aggregationValue, EXCLUDED } from "../src/resources/meters/aggregation.js";
import {
  compileFilter,
  type FilterableEvent,
  type FilterClause,
} from "../src/resources/meters/filter.js";

const event: FilterableEvent = {
  name: "tool_call",
  source: "user",
  timestamp: Date.UTC(2025, 0, 1, 12),
  metadata: {
    tool: "search",
    tokens: 42,
    ratio: 2.5,
    paid: true,
    code: "7",
    _llm: { input_tokens: 10 },
  },
};

const matches = (clause: FilterClause, e: FilterableEvent = event) =>
  compileFilter({ conjunction: "and", clauses: [clause] })(e);

describe("meter filter engine", () => {
  it("applies each operator to strings, numbers and booleans", () => {
    const cases: [FilterClause, boolean][] = [
      [{ property: "tool", operator: "eq", value: "search" }, true],
      [{ property: "tool", operator: "ne", value: "search" }, false],
      [{ property: "tool", operator: "gt", value: "a" }, true],
      [{ property: "tool", operator: "lt", value: "a" }, false],
      [{ property: "tokens", operator: "gt", value: 41 }, true],
      [{ property: "tokens", operator: "gte", value: 42 }, true],
      [{ property: "tokens", operator: "lt", value: 42 }, false],
      [{ property: "tokens", operator: "lte", value: 42 }, true],
      [{ property: "tokens", operator: "ne", value: 1 }, true],
      [{ property: "ratio", operator: "gt", value: 2 }, true],
      [{ property: "paid", operator: "eq", value: true }, true],
      [{ property: "paid", operator: "ne", value: true }, false],
      [{ property: "tool", operator: "like", value: "ear" }, true],
      [{ property: "tool", operator: "like", value: "EAR" }, false],
      [{ property: "tool", operator: "like", value: "s_a" }, true],
      [{ property: "tool", operator: "not_like", value: "ear" }, false],
      [{ property: "tool", operator: "not_like", value: "xyz" }, true],
      [{ property: "tokens", operator: "like", value: "4" }, true],
      [{ property: "paid", operator: "like", value: "ru" }, true],
    ];
    for (const [clause, expected] of cases)
      expect([clause, matches(clause)]).toEqual([clause, expected]);
  });

  it("never matches across types (strings stringify the value, as Polar does)", () => {
    expect(matches({ property: "tokens", operator: "eq", value: "42" })).toBe(false);
    expect(matches({ property: "tokens", operator: "ne", value: "42" })).toBe(false);
    expect(matches({ property: "paid", operator: "eq", value: 1 })).toBe(false);
    expect(matches({ property: "tokens", operator: "eq", value: true })).toBe(false);
    // A string property compares with the value's text: "7" equals 7.
    expect(matches({ property: "code", operator: "eq", value: 7 })).toBe(true);
    expect(matches({ property: "name", operator: "eq", value: 1 })).toBe(false);
    expect(matches({ property: "timestamp", operator: "gt", value: "1" })).toBe(false);
  });

  it("never matches a missing property, whatever the operator", () => {
    for (const operator of ["eq", "ne", "gt", "gte", "lt", "lte", "like", "not_like"] as const) {
      expect(matches({ property: "absent", operator, value: "x" })).toBe(false);
      expect(matches({ property: "absent", operator, value: 1 })).toBe(false);
    }
  });

  it("reads built-ins, metadata. prefixes and nested paths", () => {
    expect(matches({ property: "name", operator: "eq", value: "tool_call" })).toBe(true);
    expect(matches({ property: "source", operator: "eq", value: "user" })).toBe(true);
    const seconds = event.timestamp / 1000;
    expect(matches({ property: "timestamp", operator: "gte", value: seconds })).toBe(true);
    expect(matches({ property: "timestamp", operator: "gt", value: seconds })).toBe(false);
    expect(matches({ property: "metadata.tool", operator: "eq", value: "search" })).toBe(true);
    expect(matches({ property: "_llm.input_tokens", operator: "eq", value: 10 })).toBe(true);
  });

  it("combines nested and/or groups; an empty filter matches everything", () => {
    const yes = { property: "tool", operator: "eq", value: "search" } as const;
    const no = { property: "tool", operator: "eq", value: "other" } as const;
    expect(compileFilter({ conjunction: "and", clauses: [] })(event)).toBe(true);
    expect(compileFilter({ conjunction: "and", clauses: [yes, no] })(event)).toBe(false);
    expect(compileFilter({ conjunction: "or", clauses: [yes, no] })(event)).toBe(true);
    expect(
      compileFilter({
        conjunction: "and",
        clauses: [
          yes,
          { conjunction: "or", clauses: [no, { conjunction: "and", clauses: [yes] }] },
        ],
      })(event),
    ).toBe(true);
  });
});

describe("aggregation values", () => {
  it("keeps only JSON numbers for sum/max/min/avg, distinct JSON values for unique", () => {
    expect(aggregationValue({ func: "count" }, event)).toBeNull();
    expect(aggregationValue({ func: "sum", property: "tokens" }, event)).toBe(42);
    expect(aggregationValue({ func: "avg", property: "metadata.ratio" }, event)).toBe(2.5);
    expect(aggregationValue({ func: "max", property: "code" }, event)).toBe(EXCLUDED);
    expect(aggregationValue({ func: "min", property: "absent" }, event)).toBe(EXCLUDED);
    expect(aggregationValue({ func: "sum", property: "name" }, event)).toBe(EXCLUDED);
    expect(aggregationValue({ func: "unique", property: "tool" }, event)).toBe('"search"');
    expect(aggregationValue({ func: "unique", property: "absent" }, event)).toBeNull();
  });
});
