import { DYNAMIC_TOOL_NAMES } from "@polar-mcp/server";

/** A `tools/call` found in a request, with the operation it targets. */
export interface ToolCallRequest {
  id: string | number;
  /** The tool name the client sent. */
  name: string;
  /** The operation actually called: the `name` argument of `call_operation`, else `name`. */
  operation: string;
  arguments: unknown;
}

/** A JSON-RPC message list (a batch or a single message) as sent. */
export function messagesOf(body: unknown): Record<string, unknown>[] {
  const list = Array.isArray(body) ? body : [body];
  return list.filter((m): m is Record<string, unknown> => m !== null && typeof m === "object");
}

/** Every `tools/call` request in a payload. */
export function toolCallsOf(body: unknown): ToolCallRequest[] {
  const calls: ToolCallRequest[] = [];
  for (const message of messagesOf(body)) {
    if (message.method !== "tools/call") continue;
    const id = message.id;
    if (typeof id !== "string" && typeof id !== "number") continue;
    const params = (message.params ?? {}) as Record<string, unknown>;
    const name = typeof params.name === "string" ? params.name : "";
    const args = params.arguments ?? {};
    const inner = (args ?? {}) as Record<string, unknown>;
    const operation =
      name === DYNAMIC_TOOL_NAMES.call && typeof inner.name === "string" ? inner.name : name;
    calls.push({ id, name, operation, arguments: args });
  }
  return calls;
}

/** Results of a JSON response by request id (for the audit log). */
export function resultsById(body: unknown): Map<string | number, Record<string, unknown>> {
  const out = new Map<string | number, Record<string, unknown>>();
  for (const message of messagesOf(body)) {
    const id = message.id;
    if (typeof id === "string" || typeof id === "number") out.set(id, message);
  }
  return out;
}

/** A JSON-RPC error body with no id, as MCP's Streamable HTTP asks for HTTP-level refusals. */
export function rpcError(code: number, message: string, data?: Record<string, unknown>): unknown {
  return { jsonrpc: "2.0", error: { code, message, ...(data ? { data } : {}) }, id: null };
}
