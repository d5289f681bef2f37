import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { CatalogTool } from "../catalog/catalog.js";
import { credentialCanCall } from "../credentials/credential.js";
import { credentialReason, type ToolView } from "../filters/view.js";
import { validatorFor, type ArgumentIssue } from "../validation/arguments.js";
import { sendPolarRequest } from "./client.js";
import { rateLimitInfo } from "./rate-limit.js";
import { buildPolarRequest } from "./request.js";
import {
  errorResult,
  invalidArgumentsResult,
  polarErrorResult,
  rateLimitedResult,
  successResult,
} from "./results.js";

/** Everything a tool call needs besides its name and arguments. */
export interface ExecutionContext {
  view: ToolView;
  /** Tools listed under their own names; the others are reached through call_operation. */
  listed: ReadonlySet<string>;
  baseUrl: string;
  accessToken: string | undefined;
  fetch: typeof globalThis.fetch;
  maxRetryAfterSeconds: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  userAgent: string;
  /** Budget of a result's text in characters. */
  resultBudgetChars: number;
}

/**
 * Runs one operation by tool name: filter and credential checks, argument validation,
 * then the HTTP call. Every failure is an `isError` result that says what to fix.
 */
export async function executeTool(
  ctx: ExecutionContext,
  name: string,
  args: unknown,
): Promise<CallToolResult> {
  const access = ctx.view.access(name);
  if (!access.ok) return errorResult(`${access.reason} Nothing was sent to Polar.`);
  const tool = access.tool;
  if (!credentialCanCall(tool.security, ctx.view.credential)) {
    return errorResult(`${credentialReason(tool, ctx.view.credential)} Nothing was sent to Polar.`);
  }
  const check = validatorFor(ctx.view.catalog).check(tool, args ?? {});
  if (!check.ok)
    return invalidArgumentsResult(tool, check.issues, expectedShapes(ctx, tool, check.issues));
  const request = buildPolarRequest(tool, check, {
    baseUrl: ctx.baseUrl,
    accessToken: ctx.accessToken,
    apiVersion: ctx.view.catalog.apiVersion,
    userAgent: ctx.userAgent,
  });
  let response: Response;
  try {
    response = await sendPolarRequest(request, ctx);
  } catch (error) {
    return errorResult(
      `Could not reach Polar at ${safeOrigin(ctx.baseUrl)} (${(error as Error).message}). Check the server's base URL and network, then retry.`,
    );
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (response.status === 429) {
    await response.body?.cancel();
    return rateLimitedResult(tool, rateLimitInfo(response, ctx.now()), ctx.baseUrl);
  }
  const text = await response.text();
  if (!response.ok) return polarErrorResult(tool, response.status, text, contentType);
  const page = typeof check.query.page === "number" ? check.query.page : 1;
  const limit = typeof check.query.limit === "number" ? check.query.limit : defaultLimit(tool);
  return successResult(
    tool,
    { status: response.status, contentType, text },
    { args: isRecord(args) ? args : {}, page, limit },
    { listed: ctx.listed, budget: ctx.resultBudgetChars },
  );
}

// The rich schema of each top-level field that has an issue, so the model can fix it.
function expectedShapes(ctx: ExecutionContext, tool: CatalogTool, issues: ArgumentIssue[]): string {
  const properties = (ctx.view.catalog.describe(tool).properties ?? {}) as Record<string, unknown>;
  const lines: string[] = [];
  for (const top of new Set(issues.map((issue) => issue.field.split(/[.[]/)[0] ?? ""))) {
    const schema = properties[top];
    if (!top || schema === undefined) continue;
    const json = JSON.stringify(schema);
    lines.push(`Expected ${top}: ${json.length > 600 ? `${json.slice(0, 600)}…` : json}`);
  }
  return lines.join("\n");
}

// The page size Polar uses when the call gives none: the document's default for `limit`.
function defaultLimit(tool: CatalogTool): number | undefined {
  const field = tool.fields.find((f) => f.name === "limit" && f.in === "query");
  if (!field) return undefined;
  const schema = field.schema;
  if (typeof schema.default === "number") return schema.default;
  const variants = (schema.anyOf ?? []) as { default?: unknown }[];
  const found = variants.find((v) => typeof v.default === "number");
  return typeof found?.default === "number" ? found.default : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function safeOrigin(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return "the configured base URL";
  }
}
