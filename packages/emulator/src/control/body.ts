import { MAX_JSON_DEPTH, tooDeepAt } from "../http/body.js";
import { invalid } from "../http/errors.js";

/** Reads a control-plane JSON object body (empty means `{}`). */
export async function readControlBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text.trim()) return {};
  if (tooDeepAt(text) >= 0)
    throw invalid(
      ["body"],
      `JSON nested deeper than ${MAX_JSON_DEPTH} levels.`,
      null,
      "json_invalid",
    );
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalid(["body"], "Expected a JSON object.", null, "json_invalid");
}
