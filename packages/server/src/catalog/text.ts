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

// What a warning in an operation's description says: the consequences a model must weigh
// before calling it (customers:delete "cannot be undone and will immediately: cancel …").
const WARNING =
  /\[!WARNING\]|cannot be undone|irreversib|permanent|immediately|will be revoked|lose access/i;

/**
 * The warnings of an operation's description (after its first paragraph): `> [!WARNING]`
 * blocks and sentences about undoable or immediate consequences, as plain text with list
 * items joined by semicolons, at most `max` characters. Empty when there is none.
 */
export function safetyText(text: string | undefined, max: number): string {
  if (!text) return "";
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .slice(1);
  const warnings = paragraphs
    .filter((p) => WARNING.test(p) && !/^\*\*scopes\*\*/i.test(p))
    .map(plainWarning)
    .filter(Boolean);
  const joined = warnings.join(" ");
  return joined.length <= max ? joined : `${joined.slice(0, max - 1).trimEnd()}…`;
}

function plainWarning(paragraph: string): string {
  const lines = paragraph
    .split("\n")
    .map((line) =>
      line
        .replace(/^>\s?/, "")
        .replace(/\[!WARNING\]/i, "")
        .trim(),
    )
    .filter(Boolean);
  let out = "";
  for (const line of lines) {
    const item = /^[-*]\s+(.*)$/.exec(line);
    const plain = (item ? (item[1] ?? "") : line).replace(/`([^`]*)`/g, "$1");
    if (!item) out += `${out ? " " : ""}${plain}`;
    else
      out += `${out.endsWith(":") ? " " : "; "}${plain.charAt(0).toLowerCase()}${plain.slice(1)}`;
  }
  out = out.replace(/\s+/g, " ").trim();
  return out && !/[.!?]$/.test(out) ? `${out}.` : out;
}
