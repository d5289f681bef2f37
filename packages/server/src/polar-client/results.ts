import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { CatalogTool } from "../catalog/catalog.js";
import type { ArgumentIssue } from "../validation/arguments.js";
import { documentedLimits, type RateLimitInfo } from "./rate-limit.js";

/** Longest response text passed back to the model. */
export const MAX_TEXT_CHARS = 60_000;

/** A tool result that is an error with a message saying what to fix. */
export function errorResult(text: string, structured?: Record<string, unknown>): CallToolResult {
  const result: CallToolResult = { isError: true, content: [{ type: "text", text }] };
  if (structured) result.structuredContent = structured;
  return result;
}

export function invalidArgumentsResult(
  tool: CatalogTool,
  issues: ArgumentIssue[],
  expected: string,
): CallToolResult {
  const lines = issues.map((issue) => `- ${issue.field || "arguments"} ${issue.message}`);
  return errorResult(
    `Invalid arguments for ${tool.name}; nothing was sent to Polar. Fix:\n${lines.join("\n")}\n${expected}`,
    { error: "InvalidArguments", issues: issues.map((i) => ({ ...i })) },
  );
}

/**
 * Success: structured content is Polar's JSON (objects as is, anything else under
 * `result`); list responses get `pagination.page` and `pagination.next_page`, and the text
 * says how to fetch the next page. The text also carries the JSON, as MCP recommends for
 * clients that ignore structured content.
 */
export function successResult(
  tool: CatalogTool,
  status: number,
  contentType: string,
  text: string,
  page: number,
): CallToolResult {
  if (text.trim() === "") {
    return {
      content: [{ type: "text", text: `${tool.name} succeeded (HTTP ${status}, no content).` }],
      structuredContent: { status },
    };
  }
  const json = parseJson(text, contentType);
  if (json === undefined) {
    const body = clip(text);
    return {
      content: [{ type: "text", text: `${tool.name} returned ${contentType || "text"}:\n${body}` }],
      structuredContent: { content_type: contentType, body },
    };
  }
  const structured = isObject(json) ? json : { result: json };
  const summary = isList(structured)
    ? listSummary(tool, structured, page)
    : `${tool.name} succeeded.`;
  return {
    content: [{ type: "text", text: `${summary}\n${clip(JSON.stringify(structured))}` }],
    structuredContent: structured,
  };
}

function listSummary(tool: CatalogTool, body: ListBody, page: number): string {
  const total = body.pagination.total_count;
  const maxPage = body.pagination.max_page;
  const next = typeof maxPage === "number" && page < maxPage ? page + 1 : null;
  body.pagination.page = page;
  body.pagination.next_page = next;
  const counts = `${body.items.length} item(s) of ${total ?? "?"} (page ${page} of ${maxPage ?? "?"})`;
  return next === null
    ? `${counts}; this is the last page.`
    : `${counts}. Next page: call ${tool.name} again with page=${next} and the same other arguments.`;
}

/** Polar's error body (`{error, detail}`) as an isError result with a hint. */
export function polarErrorResult(
  tool: CatalogTool,
  status: number,
  text: string,
  contentType: string,
): CallToolResult {
  const json = parseJson(text, contentType);
  const body = isObject(json) ? json : {};
  const name = typeof body.error === "string" ? body.error : statusName(status);
  const detail = body.detail ?? (json === undefined ? text.slice(0, 500) : json);
  const exposed = new Map(tool.fields.map((f) => [`${f.in}:${f.key}`, f.name]));
  const detailText = Array.isArray(detail)
    ? detail.map((d) => `\n- ${validationLine(d, exposed)}`).join("")
    : ` ${typeof detail === "string" ? detail : JSON.stringify(detail)}`;
  const hint = hintFor(tool, status);
  return errorResult(
    `Polar returned HTTP ${status} ${name} for ${tool.name}:${detailText}${hint ? `\n${hint}` : ""}`,
    {
      status,
      error: name,
      detail,
    },
  );
}

export function rateLimitedResult(
  tool: CatalogTool,
  info: RateLimitInfo,
  baseUrl: string,
): CallToolResult {
  const when =
    info.retryAfterSeconds === undefined
      ? "Wait about a minute before retrying"
      : `Retry after ${info.retryAfterSeconds} s (at ${info.retryAt})`;
  const seen = Object.entries(info.headers).map(([k, v]) => `${k}: ${v}`);
  const figures = `${documentedLimits(baseUrl)}${seen.length > 0 ? ` Headers: ${seen.join(", ")}.` : ""}`;
  return errorResult(`Polar rate limit reached (HTTP 429) on ${tool.name}. ${when}. ${figures}`, {
    status: 429,
    error: "RateLimited",
    retry_after_seconds: info.retryAfterSeconds ?? null,
    retry_at: info.retryAt ?? null,
    rate_limit: { documented: documentedLimits(baseUrl), headers: info.headers },
  });
}

function hintFor(tool: CatalogTool, status: number): string {
  switch (status) {
    case 401:
      return "The server's Polar credential was rejected: fix POLAR_ACCESS_TOKEN in the MCP server's configuration (the MCP client cannot set it).";
    case 403:
      return tool.scopes.length > 0
        ? `The credential lacks permission; it needs one of these scopes: ${tool.scopes.join(", ")}.`
        : "The credential lacks permission for this operation.";
    case 404:
      return "Check the id or path values; a list tool of the same resource finds valid ones.";
    case 422:
      return "Fix the fields listed above and call again.";
    default:
      return status >= 500 ? "Polar failed on its side; retry later." : "";
  }
}

function validationLine(entry: unknown, exposed: Map<string, string>): string {
  if (!isObject(entry)) return JSON.stringify(entry);
  const loc = Array.isArray(entry.loc) ? (entry.loc as unknown[]) : [];
  const [where, first, ...rest] = loc;
  const top =
    typeof where === "string" && first !== undefined
      ? (exposed.get(`${where}:${String(first)}`) ?? String(first))
      : "";
  let field = top;
  for (const part of rest) field += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
  return `${field || loc.join(".") || "request"}: ${typeof entry.msg === "string" ? entry.msg : JSON.stringify(entry)}`;
}

type ListBody = {
  items: unknown[];
  pagination: { total_count?: number; max_page?: number; page?: number; next_page?: number | null };
};

function isList(body: Record<string, unknown>): body is ListBody & Record<string, unknown> {
  return Array.isArray(body.items) && isObject(body.pagination);
}

function parseJson(text: string, contentType: string): unknown {
  if (contentType && !/json/i.test(contentType)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function clip(text: string): string {
  return text.length <= MAX_TEXT_CHARS
    ? text
    : `${text.slice(0, MAX_TEXT_CHARS)}… (truncated; use filters or a smaller limit)`;
}

function statusName(status: number): string {
  if (status === 401) return "Unauthorized";
  if (status === 403) return "NotPermitted";
  if (status === 404) return "ResourceNotFound";
  if (status === 422) return "RequestValidationError";
  return status >= 500 ? "ServerError" : "HTTPError";
}
