import type { ServerOptions } from "@modelcontextprotocol/sdk/server/index.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import { createPolarTools } from "./core/polar-tools.js";
import { ServerError } from "./errors.js";
import type { PolarMcpServerOptions } from "./options.js";
import { registerWorkflowPrompts } from "./prompts/workflows.js";
import { SERVER_NAME, SERVER_VERSION } from "./version.js";

/**
 * Creates an MCP server (SDK v1, protocol 2025-11-25 and earlier) exposing Polar's API as
 * tools plus three workflow prompts. The catalogue is cached per document, so a server per
 * request or per tenant is cheap. Throws `ServerError` (`invalid_filter`) for unknown filter
 * values. For both protocol eras on one HTTP endpoint, see `createPolarMcpHandler`.
 * `sdk.jsonSchemaValidator` is handed to the SDK server: a host that builds a server per
 * request passes one shared validator instead of the SDK's default, a new Ajv per server.
 *
 * @example
 * const spec = await loadOpenApiDocument("2026-10.openapi.json");
 * const server = createPolarMcpServer({ spec, accessToken: process.env.POLAR_ACCESS_TOKEN, readOnly: true });
 * await server.connect(new StdioServerTransport());
 */
export function createPolarMcpServer(
  options: PolarMcpServerOptions,
  sdk: Pick<ServerOptions, "jsonSchemaValidator"> = {},
): McpServer {
  const core = createPolarTools(options);
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    {
      capabilities: { tools: { listChanged: false } },
      instructions: core.instructions,
      ...(sdk.jsonSchemaValidator ? { jsonSchemaValidator: sdk.jsonSchemaValidator } : {}),
    },
  );
  // Raw JSON Schemas from the OpenAPI document go through the low-level server:
  // McpServer.registerTool wants zod shapes.
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: core.tools.listTools(),
  }));
  server.server.setRequestHandler(CallToolRequestSchema, async (request) => {
    try {
      return await core.tools.callTool(request.params.name, request.params.arguments ?? {});
    } catch (error) {
      if (error instanceof ServerError && error.code === "unknown_tool")
        throw new McpError(ErrorCode.InvalidParams, error.message);
      throw error;
    }
  });
  registerWorkflowPrompts(
    (name, config, render) =>
      server.registerPrompt(
        name,
        { title: config.title, description: config.description, argsSchema: config.args },
        (args) => ({ messages: render(args).messages }),
      ),
    core.listed,
  );
  return server;
}
