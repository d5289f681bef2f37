import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { buildToolCatalog } from "./catalog/catalog.js";
import { credentialKindOf } from "./credentials/credential.js";
import { createToolView } from "./filters/view.js";
import { createDynamicMode } from "./modes/dynamic.js";
import { createStaticMode } from "./modes/static.js";
import { createToolsetsMode } from "./modes/toolsets.js";
import { selectToolsets, TOOLSET_DEFAULT } from "./toolsets/toolsets.js";
import type { CatalogTool } from "./catalog/catalog.js";
import type { ToolView } from "./filters/view.js";
import {
  CLIENT_TOOL_LIMIT,
  DEFAULT_MAX_RETRY_AFTER_SECONDS,
  resolveBaseUrl,
  type ServerMode,
  type PolarMcpServerOptions,
} from "./options.js";
import { DEFAULT_RESULT_BUDGET_CHARS } from "./polar-client/budget.js";
import type { ExecutionContext } from "./polar-client/execute.js";
import { registerWorkflowPrompts } from "./prompts/workflows.js";
import { SERVER_NAME, SERVER_VERSION, USER_AGENT } from "./version.js";

const INSTRUCTIONS = {
  toolsets:
    "Tools are Polar API operations named <resource>_<action> (customers_list, checkouts_create) with one flat object of path, query and body fields. Operations not listed as tools are reached with search_operations, describe_operation and call_operation. Lists paginate with page and limit.",
  static:
    "Tools are Polar API operations named <resource>_<action> (customers_list, checkouts_create). Arguments are one flat object of path, query and body fields. List tools paginate with page and limit.",
  dynamic:
    "Polar API through three tools: search_operations finds an operation, describe_operation shows its input, call_operation runs it with flat arguments. Lists paginate with page and limit.",
};

/**
 * Creates an MCP server exposing Polar's API as tools (static or dynamic mode) plus three
 * workflow prompts. The catalogue is cached per document, so a server per request or per
 * tenant is cheap. Throws `ServerError` (`invalid_filter`) for unknown filter values.
 *
 * @example
 * const spec = await loadOpenApiDocument("2026-10.openapi.json");
 * const server = createPolarMcpServer({ spec, accessToken: process.env.POLAR_ACCESS_TOKEN, readOnly: true });
 * await server.connect(new StdioServerTransport());
 */
export function createPolarMcpServer(options: PolarMcpServerOptions): McpServer {
  const mode = options.mode ?? (options.all ? "static" : "toolsets");
  const catalogOptions =
    options.schemaBudgetBytes === undefined ? {} : { schemaBudgetBytes: options.schemaBudgetBytes };
  const catalog = buildToolCatalog(options.spec, catalogOptions);
  const view = createToolView(catalog, {
    ...options,
    credential: options.credential ?? credentialKindOf(options.accessToken),
  });
  const listed = listedTools(mode, view, options.toolsets);
  const ctx: ExecutionContext = {
    view,
    listed: new Set(listed.map((tool) => tool.name)),
    baseUrl: resolveBaseUrl(options),
    accessToken: options.accessToken,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
    userAgent: USER_AGENT,
    resultBudgetChars: options.resultBudgetChars ?? DEFAULT_RESULT_BUDGET_CHARS,
  };
  const tools =
    mode === "dynamic"
      ? createDynamicMode(ctx)
      : mode === "static"
        ? createStaticMode(ctx)
        : createToolsetsMode(ctx, listed);
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS[mode] },
  );
  // Raw JSON Schemas from the OpenAPI document go through the low-level server:
  // McpServer.registerTool wants zod shapes.
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.listTools() }));
  server.server.setRequestHandler(CallToolRequestSchema, (request) =>
    tools.callTool(request.params.name, request.params.arguments ?? {}),
  );
  registerWorkflowPrompts(server, ctx.listed);
  return server;
}

/**
 * The tools listed under their own names. Toolsets mode without `toolsets`: every allowed
 * operation when they fit within {@link CLIENT_TOOL_LIMIT} (a filter already narrowed
 * them), else the default toolset.
 */
function listedTools(
  mode: ServerMode,
  view: ToolView,
  toolsets: readonly string[] | undefined,
): readonly CatalogTool[] {
  if (mode === "dynamic") return [];
  if (mode === "static") return view.tools;
  const chosen = toolsets && toolsets.length > 0 ? toolsets : undefined;
  if (!chosen && view.tools.length <= CLIENT_TOOL_LIMIT) return view.tools;
  return selectToolsets(view.tools, view.catalog, chosen ?? [TOOLSET_DEFAULT], view.credential);
}
