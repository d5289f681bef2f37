import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";

/** What a mode provides to the MCP server: the tools/list answer and the tools/call handler. */
export interface ToolMode {
  listTools(): Tool[];
  callTool(name: string, args: unknown): Promise<CallToolResult>;
}
