/**
 * What is wrong with a usage event, or `undefined` when it can be billed. A number in the
 * metadata must be finite and not negative: NaN and Infinity cannot travel as JSON (Polar
 * would never receive them), and a negative amount summed by a meter would credit the
 * customer instead of charging them.
 */
export function usageEventProblem(event: unknown): string | undefined {
  if (typeof event !== "object" || event === null) return "the usage event must be an object";
  const { name, metadata } = event as { name?: unknown; metadata?: unknown };
  if (typeof name !== "string" || name.trim() === "")
    return "the usage event needs a non-empty `name`";
  if (metadata === undefined) return undefined;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
    return "`metadata` must be an object";
  for (const [field, value] of Object.entries(metadata)) {
    if (typeof value === "number") {
      if (!Number.isFinite(value))
        return `metadata.${field} is ${value}: it must be a finite number`;
      if (value < 0) return `metadata.${field} is ${value}: amounts cannot be negative`;
    } else if (typeof value !== "string" && typeof value !== "boolean") {
      return `metadata.${field} must be a string, number or boolean`;
    }
  }
  return undefined;
}

/** The guard's message: what to fix, and that nothing was run or charged. */
export function invalidEventMessage(problem: string): string {
  return `The usage event is invalid (${problem}); the call was not run and not charged. Fix the event the tool records.`;
}
