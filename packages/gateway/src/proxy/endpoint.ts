import { buildToolCatalog } from "@polar-mcp/server";
import type { Context, Hono } from "hono";
import { recordCalls } from "../audit/record.js";
import { viewOf } from "../config/filters.js";
import type { GatewayContext } from "../context.js";
import { GatewayHttpError } from "../errors.js";
import { checkApiToken, ensureNotExpired, resolveServer } from "../mcp/authorize.js";
import { describeRefusal, rateLimitChecks } from "../rate-limit/checks.js";
import { rateLimitHeaders } from "../rate-limit/headers.js";
import type { RateLimitState } from "../rate-limit/limiter.js";
import { upstreamRateLimitState } from "../rate-limit/upstream.js";
import { noteFailure } from "../observability/failures.js";
import { DatabaseUnavailableError } from "../registry/errors.js";
import type { CallStatus, ServerRecord } from "../registry/types.js";
import { operationFor } from "./operations.js";

/** Request headers passed on to Polar; everything else (the caller's credentials, cookies, hop-by-hop) is dropped. */
const FORWARDED_HEADERS = ["accept", "content-type", "polar-version", "idempotency-key"];
/** Response headers passed back from Polar. */
const RETURNED_HEADERS = ["content-type", "location", "retry-after", "etag", "x-request-id"];

/**
 * `/proxy/<secret>/v1/…`: Polar's REST API through a managed server, under the same rules
 * as its MCP endpoint. The call must be an operation of Polar's OpenAPI document that the
 * server's config allows (methods, tags, tools, read-only as an upper bound); it spends one
 * unit of the server's and the account's tool-call quotas, is audited under the operation's
 * tool name, and goes to Polar with the account's credential in place of the caller's.
 */
export function registerProxyEndpoint(app: Hono, ctx: GatewayContext): void {
  app.all("/proxy/:secret/*", async (c) => {
    const started = performance.now();
    let server: ServerRecord | undefined;
    let tool = "";
    let limits: RateLimitState[] = [];
    try {
      server = await resolveServer(ctx, c.req.param("secret"));
      await ensureNotExpired(ctx, server);
      if (server.requireApiTokenAuth)
        await checkApiToken(ctx, server, c.req.header("authorization"));
      const url = new URL(c.req.url);
      const path = url.pathname.slice(`/proxy/${c.req.param("secret")}`.length) || "/";
      const account = await ctx.accounts.get(server.accountId);
      if (!account)
        throw new GatewayHttpError(410, "server_deleted", "This server's account was deleted.");
      const spec = await ctx.specFor(account.account.baseUrl);
      const operation = path.startsWith("/v1/")
        ? operationFor(buildToolCatalog(spec), c.req.method, path)
        : undefined;
      if (!operation) {
        throw new GatewayHttpError(
          404,
          "unknown_operation",
          `${c.req.method} ${path.slice(0, 200)} is not an operation of Polar's API; paths start with /v1/ as in Polar's API reference.`,
        );
      }
      tool = operation.name;
      const access = viewOf(spec, server.config, account.accessToken).access(operation.name);
      if (!access.ok) {
        throw new GatewayHttpError(
          403,
          "operation_not_allowed",
          `${access.reason} Ask the server's owner to widen its config.`,
        );
      }
      limits = await ctx.checkRateLimits(rateLimitChecks(ctx, server, 1));
      if (limits.some((s) => s.exceeded)) {
        throw new GatewayHttpError(
          429,
          "rate_limited",
          `Rate limit of this server reached (${describeRefusal(limits, 1)}). Retry after the number of seconds in Retry-After.`,
        );
      }
      const sent = performance.now();
      const upstream = await forward(
        ctx,
        c,
        `${account.account.baseUrl}${path}${url.search}`,
        account.accessToken,
      );
      ctx.metrics.upstream(server.accountId, upstream.status, (performance.now() - sent) / 1000);
      const states = [...limits];
      if (upstream.status === 429) {
        ctx.metrics.rateLimited(server.accountId, "polar");
        states.push(
          upstreamRateLimitState(
            {
              status: 429,
              retryAfter: upstream.headers.get("retry-after"),
              limit: upstream.headers.get("ratelimit-limit"),
            },
            account.account.environment,
            ctx.now(),
          ),
        );
      }
      const headers = new Headers();
      for (const name of RETURNED_HEADERS) {
        const value = upstream.headers.get(name);
        if (value !== null) headers.set(name, value);
      }
      for (const [name, value] of Object.entries(rateLimitHeaders(states)))
        headers.set(name, value);
      const body = await upstream.arrayBuffer();
      audit(ctx, server, tool, statusOf(upstream.status), upstream.status, started);
      return new Response(body.byteLength > 0 ? body : null, { status: upstream.status, headers });
    } catch (error) {
      if (!(error instanceof GatewayHttpError)) throw error;
      if (error.status >= 500) noteFailure(c.req.raw, error);
      if (error.status === 429 && server) ctx.metrics.rateLimited(server.accountId, "gateway");
      if (server && tool && !(error instanceof DatabaseUnavailableError)) {
        audit(ctx, server, tool, refusalStatus(error.status), null, started);
      }
      return c.json({ error: error.code, detail: error.message }, error.status as 400, {
        ...rateLimitHeaders(limits),
        ...error.headers,
      });
    }
  });
}

async function forward(
  ctx: GatewayContext,
  c: Context,
  target: string,
  accessToken: string,
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${accessToken}` };
  for (const name of FORWARDED_HEADERS) {
    const value = c.req.header(name);
    if (value !== undefined) headers[name] = value;
  }
  const method = c.req.method.toUpperCase();
  const body = method === "GET" || method === "HEAD" ? undefined : await c.req.arrayBuffer();
  try {
    return await ctx.fetch(target, {
      method,
      headers,
      ...(body && body.byteLength > 0 ? { body } : {}),
      redirect: "manual",
      signal: AbortSignal.timeout(ctx.upstreamTimeoutMs),
    });
  } catch {
    throw new GatewayHttpError(
      502,
      "upstream_unreachable",
      `Polar did not answer within ${ctx.upstreamTimeoutMs} ms or could not be reached; retry later.`,
    );
  }
}

function audit(
  ctx: GatewayContext,
  server: ServerRecord,
  tool: string,
  status: CallStatus,
  upstreamStatus: number | null,
  started: number,
): void {
  recordCalls(
    ctx,
    server,
    [{ call: { id: 0, name: tool, operation: tool, arguments: {} }, status, upstreamStatus }],
    performance.now() - started,
  );
}

function statusOf(upstream: number): CallStatus {
  if (upstream === 429) return "upstream_rate_limited";
  return upstream < 400 ? "ok" : "error";
}

function refusalStatus(status: number): CallStatus {
  if (status === 429) return "rate_limited";
  if (status === 401) return "unauthorized";
  if (status === 410) return "expired";
  if (status === 403) return "denied";
  return "error";
}
