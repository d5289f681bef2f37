import {
  buildToolCatalog,
  createToolView,
  credentialKindOf,
  ServerError,
  type OpenApiDocument,
  type PolarMcpServerOptions,
  type ToolView,
} from "@polar-mcp/server";
import { GatewayHttpError } from "../errors.js";
import type { ServerConfig } from "../registry/types.js";

type Filters = Pick<
  PolarMcpServerOptions,
  "methods" | "tags" | "tools" | "excludeTools" | "readOnly" | "mode"
>;

/** A server's config as @polar-mcp/server filter options: the upper bound of what it serves. */
export function filtersOf(config: ServerConfig): Filters {
  const filters: Filters = {};
  if (config.methods) filters.methods = config.methods;
  if (config.tags) filters.tags = config.tags;
  if (config.tools) filters.tools = config.tools;
  if (config.excludeTools) filters.excludeTools = config.excludeTools;
  if (config.readOnly) filters.readOnly = true;
  if (config.mode) filters.mode = config.mode;
  return filters;
}

/**
 * The tool view of a config for a credential; unknown tags or tool names become a 422
 * that lists what is known (the message comes from @polar-mcp/server).
 */
export function viewOf(spec: OpenApiDocument, config: ServerConfig, accessToken: string): ToolView {
  try {
    const { mode: _mode, ...filters } = filtersOf(config);
    return createToolView(buildToolCatalog(spec), {
      ...filters,
      credential: credentialKindOf(accessToken),
    });
  } catch (error) {
    if (error instanceof ServerError)
      throw new GatewayHttpError(422, "invalid_config", error.message);
    throw error;
  }
}
