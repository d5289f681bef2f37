import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { createPolarMcpServer } from "@polar-mcp/server";
import type { Hono } from "hono";
import { recordCalls, type CallOutcome } from "../audit/record.js";
import { filtersOf, viewOf } from "../config/filters.js";
import type { GatewayContext } from "../context.js";
import { GatewayError, GatewayHttpError } from "../errors.js";
import { rateLimitHeaders } from "../rate-limit/headers.js";
import { describeRefusal, rateLimitChecks } from "../rate-limit/checks.js";
import type { RateLimitState } from "../rate-limit/limiter.js";
import { upstreamRateLimitState, type UpstreamResponse } from "../rate-limit/upstream.js";
import { noteFailure } from "../observability/failures.js";
import { loggableError } from "../observability/logger.js";
import { DatabaseUnavailableError } from "../registry/errors.js";
import type { CallStatus, ServerRecord } from "../registry/types.js";
import type { OpenAccount } from "./account-cache.js";
import { checkApiToken, ensureNotExpired, resolveServer } from "./authorize.js";
import { resultsById, rpcError, toolCallsOf, type ToolCallRequest } from "./jsonrpc.js";
import { recordingFetch } from "./upstream.js";

/** JSON-RPC code of HTTP-level refusals (unknown URL, expired, unauthorized, rate limited). */
const REFUSED = -32001;

/**
 * Mounts `/mcp/:secret`: Streamable HTTP, stateless (a fresh @polar-mcp/server per POST,
 * answered as JSON), so any gateway process can answer any request.
 */
export function registerMcpEndpoint(app: Hono, ctx: GatewayContext): void {
  // The SDK server builds an Ajv instance (about 0.3 ms) unless given a validator; one
  // shared by every request's server costs that once. Polar's tools never elicit, so it
  // is not even used today.
  const validator = new AjvJsonSchemaValidator();
  app.all("/mcp/:secret", async (c) => {
    const started = performance.now();
    let server: ServerRecord | undefined;
    let calls: ToolCallRequest[] = [];
    let limits: RateLimitState[] = [];
    try {
      server = await resolveServer(ctx, c.req.param("secret"));
      const body = c.req.method === "POST" ? await readJson(c.req.raw) : undefined;
      calls = toolCallsOf(body);
      await ensureNotExpired(ctx, server);
      if (server.requireApiTokenAuth)
        await checkApiToken(ctx, server, c.req.header("authorization"));
      limits = await ctx.checkRateLimits(rateLimitChecks(ctx, server, calls.length));
      if (limits.some((s) => s.exceeded)) {
        throw new GatewayHttpError(
          429,
          "rate_limited",
          `Rate limit of this MCP server reached (${describeRefusal(limits, calls.length)}). Retry after the number of seconds in Retry-After${calls.length > 1 ? ", or send fewer tool calls per request" : ""}.`,
        );
      }
      if (c.req.method !== "POST") {
        throw new GatewayHttpError(
          405,
          "method_not_allowed",
          "This endpoint is stateless; send JSON-RPC with POST.",
          {
            Allow: "POST",
          },
        );
      }
      const account = await ctx.accounts.get(server.accountId);
      if (!account)
        throw new GatewayHttpError(410, "server_deleted", "This MCP server's account was deleted.");
      return await serve(ctx, validator, c.req.raw, body, server, account, calls, limits, started);
    } catch (error) {
      const refusal = asRefusal(error);
      if (refusal.status >= 500) noteFailure(c.req.raw, error);
      if (refusal.status === 429 && server) ctx.metrics.rateLimited(server.accountId, "gateway");
      const headers = { ...rateLimitHeaders(limits), ...refusal.headers };
      // Refusals are audited, except when the database itself is what failed.
      if (server && calls.length > 0 && !(error instanceof DatabaseUnavailableError)) {
        const status = statusOfRefusal(refusal.status);
        recordCalls(
          ctx,
          server,
          calls.map((call) => ({ call, status, upstreamStatus: null })),
          performance.now() - started,
        );
      }
      return Response.json(rpcError(REFUSED, refusal.message, { error: refusal.code }), {
        status: refusal.status,
        headers,
      });
    }
  });
}

async function serve(
  ctx: GatewayContext,
  validator: AjvJsonSchemaValidator,
  request: Request,
  body: unknown,
  server: ServerRecord,
  { account, accessToken }: OpenAccount,
  calls: ToolCallRequest[],
  limits: RateLimitState[],
  started: number,
): Promise<Response> {
  const spec = await ctx.specFor(account.baseUrl);
  const upstream = recordingFetch(
    ctx.fetch,
    ctx.upstreamTimeoutMs,
    (status, seconds) => ctx.metrics.upstream(account.id, status, seconds),
    (error) =>
      ctx.log.warn({ account_id: account.id, error: upstreamError(error) }, "Polar not reached"),
  );
  const mcp = createPolarMcpServer(
    {
      spec,
      accessToken,
      baseUrl: account.baseUrl,
      fetch: upstream.fetch,
      now: ctx.now,
      // The gateway passes Polar's 429s on to the caller instead of waiting them out.
      maxRetryAfterSeconds: 0,
      ...filtersOf(server.config),
    },
    { jsonSchemaValidator: validator },
  );
  const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
  let text: string;
  let response: Response;
  try {
    await mcp.connect(transport);
    response = await transport.handleRequest(request, { parsedBody: body });
    text = await response.text();
  } finally {
    await transport.close().catch(() => undefined);
    await mcp.close().catch(() => undefined);
  }
  const throttled = upstream.responses.filter((r) => r.status === 429);
  const states = [...limits];
  const last429 = throttled.at(-1);
  if (last429) {
    states.push(upstreamRateLimitState(last429, account.environment, ctx.now()));
    ctx.metrics.rateLimited(account.id, "polar");
  }
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(rateLimitHeaders(states))) headers.set(name, value);
  if (last429) headers.set("Retry-After", String(states.at(-1)?.resetSeconds ?? 60));
  if (calls.length > 0) {
    const outcomes = classify(calls, text, upstream.responses, () =>
      viewOf(spec, server.config, accessToken),
    );
    recordCalls(ctx, server, outcomes, performance.now() - started);
  }
  return new Response(text, { status: response.status, headers });
}

function classify(
  calls: ToolCallRequest[],
  text: string,
  upstream: UpstreamResponse[],
  view: () => ReturnType<typeof viewOf>,
): CallOutcome[] {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const results = resultsById(parsed);
  // Stateless JSON requests carry one call in practice; a batch shares the last status seen.
  const upstreamStatus = upstream.at(-1)?.status ?? null;
  return calls.map((call) => {
    const message = results.get(call.id);
    const result = message?.result as
      { isError?: boolean; structuredContent?: { status?: unknown } } | undefined;
    // A call outside the config is refused by @polar-mcp/server before any request, as an
    // isError result or (unknown name in static mode) a JSON-RPC error: both are "denied",
    // also inside a batch whose other calls reached Polar.
    let status: CallStatus;
    if (result && !result.isError) status = "ok";
    else if (result?.structuredContent?.status === 429) status = "upstream_rate_limited";
    else if (!view().access(call.operation).ok) status = "denied";
    else status = "error";
    return {
      call,
      status,
      upstreamStatus: status !== "denied" && upstream.length > 0 ? upstreamStatus : null,
    };
  });
}

// The network error behind a failed fetch (undici puts it in `cause`), loggable.
function upstreamError(error: unknown): Record<string, unknown> {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error
    ? { ...loggableError(error), cause: loggableError(cause) }
    : loggableError(error);
}

function statusOfRefusal(httpStatus: number): CallStatus {
  if (httpStatus === 429) return "rate_limited";
  if (httpStatus === 401) return "unauthorized";
  if (httpStatus === 410) return "expired";
  return "error";
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayHttpError(
      400,
      "parse_error",
      "The request body is not JSON; send a JSON-RPC message.",
    );
  }
}

function asRefusal(error: unknown): {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
} {
  if (error instanceof GatewayHttpError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      headers: error.headers,
    };
  }
  if (error instanceof GatewayError)
    return { status: 500, code: error.code, message: error.message, headers: {} };
  return {
    status: 500,
    code: "internal_error",
    message:
      "The gateway failed while serving this request; retry, and check the gateway's logs if it persists.",
    headers: {},
  };
}
