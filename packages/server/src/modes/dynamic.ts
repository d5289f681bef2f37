import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { JSON_OBJECT_DESCRIPTION } from "../catalog/portable.js";
import { firstSentence } from "../catalog/text.js";
import { executeTool, type ExecutionContext } from "../polar-client/execute.js";
import { errorResult } from "../polar-client/results.js";
import { DYNAMIC_TOOL_NAMES } from "./meta-names.js";
import { searchTools } from "./search.js";
import type { ListedTool, ToolMode } from "./types.js";

export { DYNAMIC_TOOL_NAMES };

const DEFAULT_SEARCH_LIMIT = 15;
const MAX_SEARCH_LIMIT = 50;

/**
 * Dynamic mode: three tools whatever the number of operations — search, describe one
 * operation's input, call an operation. The same filters bound all three.
 */
export function createDynamicMode(ctx: ExecutionContext): ToolMode {
  const tools = metaTools(ctx);
  return {
    listTools: () => tools,
    async callTool(name, args) {
      const meta = await callMetaTool(ctx, name, args);
      if (meta) return meta;
      return errorResult(
        `Unknown tool "${name}". In dynamic mode call ${DYNAMIC_TOOL_NAMES.call} with {"name": "${name}", "arguments": {…}}.`,
      );
    },
  };
}

/**
 * The three meta-tools over every allowed operation. `listedElsewhere` (toolsets mode) is
 * how many of them are also listed as tools of their own.
 */
export function metaTools(ctx: ExecutionContext, listedElsewhere = 0): ListedTool[] {
  const { view } = ctx;
  const tags = [...new Set(view.tools.flatMap((t) => t.tags))].filter((t) => t !== "public").sort();
  const readOnly = view.tools.every((t) => t.category === "read");
  const scope =
    listedElsewhere > 0
      ? `${view.tools.length} available, ${view.tools.length - listedElsewhere} of them not listed as tools`
      : `${view.tools.length} available`;
  return [
    {
      name: DYNAMIC_TOOL_NAMES.search,
      description: `Find Polar API operations (${scope}) by keywords. Tags: ${tags.join(", ")}.`,
      inputSchema: {
        type: "object",
        properties: {
          query: { type: "string" },
          tag: { type: "string" },
          limit: { type: "integer", minimum: 1, maximum: MAX_SEARCH_LIMIT },
        },
      },
      annotations: { readOnlyHint: true },
    },
    {
      name: DYNAMIC_TOOL_NAMES.describe,
      description: "Input schema of one operation, by name from search_operations.",
      inputSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
      annotations: { readOnlyHint: true },
    },
    {
      name: DYNAMIC_TOOL_NAMES.call,
      description: "Call an operation with its input fields (flat, as described) in arguments.",
      inputSchema: {
        type: "object",
        // A JSON string, not an open object: Gemini refuses objects without properties and
        // OpenAI's strict mode open ones. An object is accepted too.
        properties: {
          name: { type: "string" },
          arguments: { type: "string", description: JSON_OBJECT_DESCRIPTION },
        },
        required: ["name"],
      },
      ...(readOnly ? { annotations: { readOnlyHint: true } } : {}),
    },
  ];
}

/** Runs a meta-tool; undefined when `name` is not one. */
export async function callMetaTool(
  ctx: ExecutionContext,
  name: string,
  args: unknown,
): Promise<CallToolResult | undefined> {
  const input = isRecord(args) ? args : {};
  switch (name) {
    case DYNAMIC_TOOL_NAMES.search:
      return search(ctx, input);
    case DYNAMIC_TOOL_NAMES.describe:
      return describe(ctx, input);
    case DYNAMIC_TOOL_NAMES.call:
      if (typeof input.name !== "string") {
        return errorResult(
          'call_operation needs "name" (an operation name from search_operations).',
        );
      }
      return executeTool(ctx, input.name, decodeArguments(input.arguments));
    default:
      return undefined;
  }
}

// `arguments` as a JSON string (what the listing asks for) or as an object.
function decodeArguments(value: unknown): unknown {
  if (value === undefined || value === null) return {};
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // validation says "arguments must be a JSON object"
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function search(ctx: ExecutionContext, input: Record<string, unknown>): CallToolResult {
  const query = typeof input.query === "string" ? input.query : "";
  const tag = typeof input.tag === "string" ? input.tag : undefined;
  const limit =
    typeof input.limit === "number"
      ? Math.min(Math.max(1, Math.floor(input.limit)), MAX_SEARCH_LIMIT)
      : DEFAULT_SEARCH_LIMIT;
  const matches = searchTools(ctx.view.tools, query, tag);
  const operations = matches.slice(0, limit).map((tool) => ({
    name: tool.name,
    method: tool.method.toUpperCase(),
    path: tool.path,
    kind: tool.category,
    description: tool.description || firstSentence(tool.operation.summary, 160),
  }));
  const lines = operations.map(
    (op) => `${op.name} — ${op.method} ${op.path}${op.description ? ` — ${op.description}` : ""}`,
  );
  const more =
    matches.length > operations.length
      ? ` (showing ${operations.length}; refine the query or raise limit)`
      : "";
  const header =
    matches.length === 0
      ? `No operation matches "${query}". Try other words or no query to list all.`
      : `${matches.length} operation(s) match${more}. Next: ${DYNAMIC_TOOL_NAMES.describe} with a name.`;
  return {
    content: [{ type: "text", text: [header, ...lines].join("\n") }],
    structuredContent: { total: matches.length, operations },
  };
}

function describe(ctx: ExecutionContext, input: Record<string, unknown>): CallToolResult {
  if (typeof input.name !== "string") {
    return errorResult(
      'describe_operation needs "name" (an operation name from search_operations).',
    );
  }
  const access = ctx.view.access(input.name);
  if (!access.ok) return errorResult(access.reason);
  const tool = access.tool;
  const description = firstSentence(tool.operation.description, 600) || tool.operation.summary;
  const described = {
    name: tool.name,
    method: tool.method.toUpperCase(),
    path: tool.path,
    kind: tool.category,
    description,
    annotations: tool.annotations,
    paginated: tool.paginated,
    scopes: tool.scopes,
    input_schema: ctx.view.catalog.describe(tool),
  };
  const text = `${tool.name}: ${description}\nCall it with ${DYNAMIC_TOOL_NAMES.call} {"name": "${tool.name}", "arguments": {…}} using this input schema:\n${JSON.stringify(described.input_schema)}`;
  return { content: [{ type: "text", text }], structuredContent: described };
}
