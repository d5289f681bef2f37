import type { CatalogTool } from "../catalog/catalog.js";

/**
 * Ranks tools by how many query words hit their name (x3), tags (x2), description and
 * path (x1); words match with or without a trailing "s". Empty query: catalogue order.
 */
export function searchTools(
  tools: readonly CatalogTool[],
  query: string,
  tag?: string,
): CatalogTool[] {
  const wanted = tag?.toLowerCase().replace(/-/g, "_");
  const pool = wanted
    ? tools.filter((t) => t.tags.some((x) => x.toLowerCase().replace(/-/g, "_") === wanted))
    : [...tools];
  const words = query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1)
    .map(stem);
  if (words.length === 0) return pool;
  const scored = pool
    .map((tool) => ({ tool, score: score(tool, words) }))
    .filter((entry) => entry.score > 0);
  scored.sort((a, b) => b.score - a.score || (a.tool.name < b.tool.name ? -1 : 1));
  return scored.map((entry) => entry.tool);
}

function score(tool: CatalogTool, words: string[]): number {
  const name = tokens(tool.name);
  const tags = tokens(tool.tags.join(" "));
  const text = tokens(`${tool.operation.summary} ${tool.operation.description} ${tool.path}`);
  let total = 0;
  for (const word of words) {
    if (name.has(word)) total += 3;
    if (tags.has(word)) total += 2;
    if (text.has(word)) total += 1;
  }
  // Among equal hits, prefer the tool whose name has fewer words the query did not ask for.
  const extra = [...name].filter((w) => !words.includes(w)).length;
  return total > 0 ? total - extra * 0.1 : 0;
}

function tokens(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean)
      .map(stem),
  );
}

function stem(word: string): string {
  return word.length > 3 ? word.replace(/(ies|es|s)$/, (m) => (m === "ies" ? "y" : "")) : word;
}
