import {
  McpServer as ModernMcpServer,
  ProtocolError,
  ProtocolErrorCode,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { createPolarTools } from "../core/polar-tools.js";
import { ServerError } from "../errors.js";
import type { PolarMcpServerOptions } from "../options.js";
import { registerWorkflowPrompts } from "../prompts/workflows.js";
import { SERVER_NAME, SERVER_VERSION } from "../version.js";

/**
 * The same Polar tools and prompts on an MCP server of SDK v2 (`@modelcontextprotocol/server`),
 * which serves the 2026-07-28 revision (stateless requests, `server/discover`) and, through
 * its legacy fallback, 2025-era clients. Used per request by `createPolarMcpHandler`.
 */
export function createModernPolarMcpServer(options: PolarMcpServerOptions): ModernMcpServer {
  const core = createPolarTools(options);
  const server = new ModernMcpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    { capabilities: { tools: { listChanged: false } }, instructions: core.instructions },
  );
  server.server.setRequestHandler("tools/list", () => ({ tools: core.tools.listTools() }));
  server.server.setRequestHandler("tools/call", async (request) => {
    try {
      return await core.tools.callTool(request.params.name, request.params.arguments ?? {});
    } catch (error) {
      if (error instanceof ServerError && error.code === "unknown_tool")
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message);
      throw error;
    }
  });
  registerWorkflowPrompts(
    (name, config, render) =>
      server.registerPrompt(
        name,
        {
          title: config.title,
          description: config.description,
          argsSchema: z.object(config.args),
        },
        (args) => ({ messages: render(args).messages }),
      ),
    core.listed,
  );
  return server;
}
