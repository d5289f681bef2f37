import type { CatalogTool } from "../catalog/catalog.js";
import type { ExecutionContext } from "../polar-client/execute.js";
import { callMetaTool, metaTools } from "./dynamic.js";
import { callByName, toMcpTool } from "./static.js";
import type { ListedTool, ToolMode } from "./types.js";

/**
 * Toolsets mode (the default): the chosen toolsets as tools of their own, plus the three
 * meta-tools reaching every other allowed operation, so a small listing still reaches all
 * of them. When the toolsets already cover every allowed operation, no meta-tool is added.
 */
export function createToolsetsMode(
  ctx: ExecutionContext,
  listed: readonly CatalogTool[],
): ToolMode {
  const direct = listed.map(toMcpTool);
  const complete = listed.length === ctx.view.tools.length;
  const tools: ListedTool[] = complete ? direct : [...direct, ...metaTools(ctx, listed.length)];
  return {
    listTools: () => tools,
    async callTool(name, args) {
      if (!complete) {
        const meta = await callMetaTool(ctx, name, args);
        if (meta) return meta;
      }
      return callByName(ctx, name, args);
    },
  };
}
