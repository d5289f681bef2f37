import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ToolAnnotations } from "../catalog/classify.js";

/** A JSON value, as both SDK lines type the schemas in tools/list. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One tools/list entry, in a shape both SDK lines (v1 and v2) accept. */
export interface ListedTool {
  name: string;
  description?: string;
  inputSchema: { type: "object"; [key: string]: JsonValue };
  annotations?: ToolAnnotations;
}

/** What a mode provides to the MCP server: the tools/list answer and the tools/call handler. */
export interface ToolMode {
  listTools(): ListedTool[];
  callTool(name: string, args: unknown): Promise<CallToolResult>;
}

/**
 * A schema from the OpenAPI document (parsed JSON) as a JSON object, checked rather than
 * cast: anything that is not JSON (a function, undefined in an array) fails loudly.
 */
export function jsonObjectSchema(schema: Record<string, unknown>): ListedTool["inputSchema"] {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(schema)) out[key] = jsonValue(value, key);
  return { ...out, type: "object" };
}

function jsonValue(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((item, index) => jsonValue(item, `${path}[${index}]`));
  if (typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, child] of Object.entries(value)) out[key] = jsonValue(child, `${path}.${key}`);
    return out;
  }
  throw new TypeError(`Schema value at ${path} is not JSON.`);
}
