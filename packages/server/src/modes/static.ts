import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { CatalogTool } from "../catalog/catalog.js";
import { ServerError } from "../errors.js";
import { executeTool, type ExecutionContext } from "../polar-client/execute.js";
import { jsonObjectSchema, type ListedTool, type ToolMode } from "./types.js";

/** Static mode: one MCP tool per allowed operation. */
export function createStaticMode(ctx: ExecutionContext): ToolMode {
  const tools = ctx.view.tools.map(toMcpTool);
  return {
    listTools: () => tools,
    callTool: (name, args) => callByName(ctx, name, args),
  };
}

/**
 * Calls an operation by its tool name. A name outside the whole catalogue throws
 * `ServerError` `unknown_tool`, which each SDK edge answers as a protocol error (MCP: -32602
 * for unknown tools); a known tool this server's filters or credential forbid is an isError
 * result that says why.
 */
export function callByName(
  ctx: ExecutionContext,
  name: string,
  args: unknown,
): Promise<CallToolResult> {
  if (
    !ctx.view.catalog.byName.has(name) &&
    !ctx.view.catalog.tools.some((t) => t.operationId === name)
  ) {
    return Promise.reject(
      new ServerError(
        "unknown_tool",
        `Unknown tool: ${name}. tools/list shows the tools this server offers.`,
      ),
    );
  }
  return executeTool(ctx, name, args);
}

const entries = new WeakMap<CatalogTool, ListedTool>();

/** The tools/list entry of one catalogue tool (built once per catalogue tool). */
export function toMcpTool(tool: CatalogTool): ListedTool {
  const cached = entries.get(tool);
  if (cached) return cached;
  const entry: ListedTool = { name: tool.name, inputSchema: jsonObjectSchema(tool.inputSchema) };
  if (tool.description) entry.description = tool.description;
  if (Object.keys(tool.annotations).length > 0) entry.annotations = { ...tool.annotations };
  entries.set(tool, entry);
  return entry;
}
