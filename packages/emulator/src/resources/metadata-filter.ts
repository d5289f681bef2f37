const PARAM = /^metadata\[([^\]]+)\]$/;

/**
 * Polar's `?metadata[key]=value` filter (deepObject style; repeat a key to accept several
 * values): a record matches when, for every key given, its metadata value is one of them.
 * Read from the URL because the validator sees `metadata[key]` as an undeclared parameter.
 */
export function metadataMatches(
  metadata: Record<string, unknown>,
  _validated: unknown,
  url: URL,
): boolean {
  const wanted = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    const key = PARAM.exec(name)?.[1];
    if (key !== undefined) wanted.set(key, [...(wanted.get(key) ?? []), value]);
  }
  for (const [key, values] of wanted) {
    const actual = metadata[key];
    if (actual === undefined || !values.includes(String(actual))) return false;
  }
  return true;
}
