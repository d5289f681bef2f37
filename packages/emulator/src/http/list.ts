import { invalid } from "./errors.js";

/** Polar's list envelope. */
export interface ListResource<T> {
  items: T[];
  pagination: { total_count: number; max_page: number };
}

/**
 * The page window of a list request: page from 1, limit clamped to 100 as Polar does. The
 * offset stays a safe integer (SQLite refuses a bigger OFFSET as a datatype mismatch), so
 * `?page=99999999999999999999` is an empty page, never a failure.
 */
export function pageWindow(query: Record<string, unknown>): {
  page: number;
  limit: number;
  offset: number;
} {
  const page = Math.max(1, Number(query.page ?? 1) || 1);
  const limit = Math.min(100, Math.max(1, Number(query.limit ?? 10) || 10));
  return { page, limit, offset: Math.min((page - 1) * limit, Number.MAX_SAFE_INTEGER) };
}

/** Pages a full, already filtered list as Polar does (page from 1, limit clamped to 100). */
export function paginate<T>(items: readonly T[], query: Record<string, unknown>): ListResource<T> {
  const { limit, offset: start } = pageWindow(query);
  return {
    items: items.slice(start, start + limit),
    pagination: { total_count: items.length, max_page: Math.ceil(items.length / limit) },
  };
}

type SortValue = string | number | boolean | null | undefined;

/**
 * Sorts by Polar's repeatable `sorting` parameter (`field` ascending, `-field` descending).
 * `fields` maps each allowed criterion to how to read it; anything else is a 422.
 */
export function sortBy<T>(
  items: T[],
  sorting: unknown,
  fields: Record<string, (item: T) => SortValue>,
  fallback: string[] = ["-created_at"],
): T[] {
  const criteria =
    sorting === undefined || sorting === null
      ? fallback
      : Array.isArray(sorting)
        ? sorting.map(String)
        : [String(sorting)];
  const comparators = criteria.map((criterion) => {
    const desc = criterion.startsWith("-");
    const read = fields[desc ? criterion.slice(1) : criterion];
    // As Polar's SortingGetter: the input it reports is the criterion without its `-`.
    const name = desc ? criterion.slice(1) : criterion;
    if (!read) throw invalid(["query", "sorting"], "Invalid sorting criterion.", name, "enum");
    return { read, sign: desc ? -1 : 1 };
  });
  return [...items].sort((a, b) => {
    for (const { read, sign } of comparators) {
      const x = read(a);
      const y = read(b);
      if (x === y) continue;
      if (x === null || x === undefined) return sign;
      if (y === null || y === undefined) return -sign;
      return (x < y ? -1 : 1) * sign;
    }
    return 0;
  });
}

/** Normalises a filter that may be one value or a list (`?id=a&id=b`). */
export function asList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.map(String) : [String(value)];
}
