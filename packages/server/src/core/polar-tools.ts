import { buildToolCatalog, type CatalogTool } from "../catalog/catalog.js";
import { credentialKindOf } from "../credentials/credential.js";
import { createToolView, type ToolView } from "../filters/view.js";
import { createDynamicMode } from "../modes/dynamic.js";
import { createStaticMode } from "../modes/static.js";
import { createToolsetsMode } from "../modes/toolsets.js";
import type { ToolMode } from "../modes/types.js";
import {
  CLIENT_TOOL_LIMIT,
  DEFAULT_MAX_RETRY_AFTER_SECONDS,
  resolveBaseUrl,
  type PolarMcpServerOptions,
  type ServerMode,
} from "../options.js";
import { DEFAULT_RESULT_BUDGET_CHARS } from "../polar-client/budget.js";
import type { ExecutionContext } from "../polar-client/execute.js";
import { selectToolsets, TOOLSET_DEFAULT } from "../toolsets/toolsets.js";
import { USER_AGENT } from "../version.js";

const INSTRUCTIONS = {
  toolsets:
    "Tools are Polar API operations named <resource>_<action> (customers_list, checkouts_create) with one flat object of path, query and body fields. Operations not listed as tools are reached with search_operations, describe_operation and call_operation. Lists paginate with page and limit.",
  static:
    "Tools are Polar API operations named <resource>_<action> (customers_list, checkouts_create). Arguments are one flat object of path, query and body fields. List tools paginate with page and limit.",
  dynamic:
    "Polar API through three tools: search_operations finds an operation, describe_operation shows its input, call_operation runs it with flat arguments. Lists paginate with page and limit.",
};

/** Everything an MCP server of either SDK line needs: the tools, and how to introduce them. */
export interface PolarTools {
  mode: ServerMode;
  tools: ToolMode;
  instructions: string;
  /** Tools listed under their own names (prompts and hints name the others via call_operation). */
  listed: ReadonlySet<string>;
}

/**
 * The SDK-independent core of a Polar MCP server: catalogue view, mode, execution context.
 * The 2025-era server (`createPolarMcpServer`, SDK v1) and the 2026-07-28 one
 * (`createModernPolarMcpServer`, SDK v2) are thin edges over it. Throws `ServerError`
 * (`invalid_filter`) for unknown filter values or toolsets.
 */
export function createPolarTools(options: PolarMcpServerOptions): PolarTools {
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
  return { mode, tools, instructions: INSTRUCTIONS[mode], listed: ctx.listed };
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
