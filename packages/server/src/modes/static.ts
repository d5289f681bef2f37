import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { CatalogTool } from "../catalog/catalog.js";
import { executeTool, type ExecutionContext } from "../polar-client/execute.js";
import type { ToolMode } from "./types.js";

/** Static mode: one MCP tool per allowed operation. */
export function createStaticMode(ctx: ExecutionContext): ToolMode {
  const tools = ctx.view.tools.map(toMcpTool);
  return {
    listTools: () => tools,
    callTool: (name, args) => executeTool(ctx, name, args),
  };
}

/** The tools/list entry of one catalogue tool. */
export function toMcpTool(tool: CatalogTool): Tool {
  const entry: Tool = {
    name: tool.name,
    inputSchema: tool.inputSchema as Tool["inputSchema"],
    annotations: { ...tool.annotations },
  };
  if (tool.description) entry.description = tool.description;
  return entry;
}
