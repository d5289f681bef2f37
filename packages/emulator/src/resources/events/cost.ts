/**
 * `_cost` as Polar handles it: `amount` is a Decimal (cents), accepted as a number or a
 * decimal string, aggregated by meters as a number and sent back as a string (pydantic
 * serializes Decimal as a string; `CostMetadata-Output.amount` is a string).
 */

/** At ingestion: a string amount becomes a number so meters can sum it (in place). */
export function normalizeCost(metadata: Record<string, unknown>): Record<string, unknown> {
  const cost = metadata._cost;
  if (cost && typeof cost === "object" && !Array.isArray(cost)) {
    const record = cost as Record<string, unknown>;
    if (typeof record.amount === "string" && record.amount.trim() !== "") {
      const amount = Number(record.amount);
      if (Number.isFinite(amount)) record.amount = amount;
    }
  }
  return metadata;
}

/** On read: the amount as Polar's Decimal string (`12`, `0.5`, `1234.000001`). */
export function renderCost(metadata: unknown): unknown {
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) return metadata;
  const cost = (metadata as Record<string, unknown>)._cost;
  if (!cost || typeof cost !== "object" || Array.isArray(cost)) return metadata;
  const amount = (cost as Record<string, unknown>).amount;
  if (typeof amount !== "number") return metadata;
  return { ...metadata, _cost: { ...cost, amount: decimalString(amount) } };
}

/** A plain decimal string: never exponent notation (`1e-7` → `0.0000001`). */
function decimalString(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, "");
}
