const STOPWORDS = new Set([
  "the",
  "a",
  "an",
  "of",
  "by",
  "to",
  "for",
  "filter",
  "id",
  "ids",
  "identifier",
]);

/** Markdown and whitespace out, first sentence of the first paragraph, at most `max` chars. */
export function firstSentence(text: string | undefined, max: number): string {
  if (!text || max <= 0) return "";
  const paragraph =
    text
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p && !/^\*\*scopes\*\*/i.test(p)) ?? "";
  const plain = paragraph
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*`_]{1,3}([^*`_]+)[*`_]{1,3}/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
  const match = /^(.+?[.!?])(\s|$)/.exec(plain);
  const sentence = match?.[1] ?? plain;
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1).trimEnd()}…`;
}

/** True when a field's description adds nothing to its name ("The organization ID."). */
export function restatesName(description: string, fieldName: string): boolean {
  if (!description) return false;
  const singular = (word: string): string => word.replace(/s$/, "");
  const nameWords = new Set(
    fieldName
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .map(singular),
  );
  const words = description
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOPWORDS.has(w));
  return words.every((w) => nameWords.has(singular(w)));
}
