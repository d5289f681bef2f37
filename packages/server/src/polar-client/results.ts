import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { CatalogTool } from "../catalog/catalog.js";
import type { ArgumentIssue } from "../validation/arguments.js";
import { callInstruction } from "../modes/call-hint.js";
import { fitItems, fitObject, resumeAt, type Cut } from "./budget.js";
import { documentedLimits, type RateLimitInfo } from "./rate-limit.js";

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

/** How a successful call was made, for truthful hints. */
export interface CallShape {
  /** The arguments as the model passed them (flat). */
  args: Record<string, unknown>;
  page: number;
  /** The page size the call used (its `limit`, else the document's default), if it has one. */
  limit: number | undefined;
}

/** Where hints point and how much text a result may hold. */
export interface ResultOptions {
  /** Tools listed under their own names; other operations are called through call_operation. */
  listed: ReadonlySet<string>;
  /** Budget of the result text in characters (see DEFAULT_RESULT_BUDGET_CHARS). */
  budget: number;
}

/**
 * Success: structured content is Polar's JSON (objects as is, anything else under
 * `result`); list responses get `pagination.page` and `pagination.next_page`, and the text
 * says how to fetch the next page with a call that works in this mode. The text also carries
 * the JSON, as MCP recommends for clients that ignore structured content. A result over the
 * budget is cut at item boundaries only, and the summary says what was returned and the exact
 * calls that return the rest.
 */
export function successResult(
  tool: CatalogTool,
  response: { status: number; contentType: string; text: string },
  call: CallShape,
  options: ResultOptions,
): CallToolResult {
  const { status, contentType, text } = response;
  if (text.trim() === "") {
    return {
      content: [{ type: "text", text: `${tool.name} succeeded (HTTP ${status}, no content).` }],
      structuredContent: { status },
    };
  }
  const json = parseJson(text, contentType);
  if (json === undefined) {
    const room = Math.max(0, options.budget - 300);
    const body = text.length <= room ? text : text.slice(0, room);
    const note =
      body.length < text.length
        ? ` (first ${body.length} of ${text.length} characters: the result budget is ${options.budget}; the rest was not returned)`
        : "";
    return {
      content: [
        { type: "text", text: `${tool.name} returned ${contentType || "text"}${note}:\n${body}` },
      ],
      structuredContent: { content_type: contentType, body, characters: text.length },
    };
  }
  const structured = isObject(json) ? json : { result: json };
  if (isList(structured)) {
    const { body, summary } = listResult(tool, structured, call, options);
    return {
      content: [{ type: "text", text: `${summary}\n${JSON.stringify(body)}` }],
      structuredContent: body,
    };
  }
  const fitted = fitObject(structured, options.budget);
  const summary =
    fitted.cut.kind === "none"
      ? `${tool.name} succeeded.`
      : `${tool.name} succeeded; ${describeCut(fitted.cut)} (the result budget is ${options.budget} characters). Narrow the request to see the rest.`;
  return {
    content: [{ type: "text", text: `${summary}\n${JSON.stringify(fitted.body)}` }],
    structuredContent: fitted.body,
  };
}

function listResult(
  tool: CatalogTool,
  body: ListBody & Record<string, unknown>,
  call: CallShape,
  options: ResultOptions,
): { body: Record<string, unknown>; summary: string } {
  const { page } = call;
  const total = body.pagination.total_count;
  const maxPage = body.pagination.max_page;
  const next = typeof maxPage === "number" && page < maxPage ? page + 1 : null;
  const fitted = fitItems(body, options.budget);
  const items = fitted.body.items;
  const how = (args: Record<string, unknown>): string =>
    callInstruction(options.listed, tool.name, { ...call.args, ...args });
  if (fitted.cut.kind !== "items") {
    const out = { ...fitted.body, pagination: { ...body.pagination, page, next_page: next } };
    const counts = `${items.length} item(s) of ${total ?? "?"} (page ${page} of ${maxPage ?? "?"})`;
    return {
      body: out,
      summary:
        next === null
          ? `${counts}; this is the last page.`
          : `${counts}. Next page: ${how({ page: next })}.`,
    };
  }
  const { kept, of } = fitted.cut;
  const inner = fitted.inner.kind === "none" ? "" : ` In item 1, ${describeCut(fitted.inner)}.`;
  const returned = `${kept} of the ${of} item(s) of page ${page} fit the result budget of ${options.budget} characters; the other ${of - kept} were not returned.${inner}`;
  if (call.limit === undefined || !tool.fields.some((f) => f.name === "page")) {
    const pagination = {
      ...body.pagination,
      page,
      next_page: null,
      returned: kept,
      omitted: of - kept,
    };
    return {
      body: { ...fitted.body, pagination },
      summary: `${returned} Narrow the request with filters to see them.`,
    };
  }
  const resume = resumeAt(page, call.limit, kept);
  const first = (page - 1) * call.limit + kept + 1;
  const left =
    typeof total === "number" ? ` (${Math.max(0, total - first + 1)} item(s) from there on)` : "";
  const pagination = {
    ...body.pagination,
    page,
    next_page: resume.page,
    next_limit: resume.limit,
    returned: kept,
    omitted: of - kept,
  };
  return {
    body: { ...fitted.body, pagination },
    summary: `${returned} To continue from item ${first}${left}: ${how({ page: resume.page, limit: resume.limit })}, then page ${resume.page + 1}, ${resume.page + 2} … with limit ${resume.limit}.`,
  };
}

function describeCut(cut: Cut): string {
  switch (cut.kind) {
    case "field":
      return `${cut.field} holds ${cut.of} item(s), of which the first ${cut.kept} were returned`;
    case "text":
      return `its JSON is ${cut.of} characters, of which the first ${cut.kept} were returned as truncated_json`;
    case "items":
      return `${cut.kept} of ${cut.of} item(s) were returned`;
    case "none":
      return "nothing was cut";
  }
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
  pagination: { total_count?: number; max_page?: number };
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

function statusName(status: number): string {
  if (status === 401) return "Unauthorized";
  if (status === 403) return "NotPermitted";
  if (status === 404) return "ResourceNotFound";
  if (status === 422) return "RequestValidationError";
  return status >= 500 ? "ServerError" : "HTTPError";
}
