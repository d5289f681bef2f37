import { invalid } from "../http/errors.js";

/** Reads a control-plane JSON object body (empty means `{}`). */
export async function readControlBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalid(["body"], "Expected a JSON object.", null, "json_invalid");
}
