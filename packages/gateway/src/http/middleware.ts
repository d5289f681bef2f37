import type { Context, Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { rpcError } from "../mcp/jsonrpc.js";

/** Largest MCP request body accepted (JSON-RPC; tool arguments included). */
export const MAX_MCP_BODY_BYTES = 4 * 1024 * 1024;
/** Largest admin request body accepted. */
export const MAX_ADMIN_BODY_BYTES = 256 * 1024;

/**
 * Body limits on both surfaces, and CORS on the MCP endpoints so browser-based clients
 * (MCP Inspector …) can call them. Any origin is allowed there: the credentials are the
 * URL secret and an optional bearer token, never cookies, so a page that does not know
 * them gains nothing (with `allowedOrigins`, only those). The admin API sends no CORS headers.
 */
export function registerMiddleware(app: Hono, allowedOrigins?: readonly string[]): void {
  app.use(
    "/mcp/*",
    cors({
      origin: allowedOrigins?.length ? [...allowedOrigins] : "*",
      allowMethods: ["POST", "GET", "DELETE", "OPTIONS"],
      allowHeaders: [
        "authorization",
        "content-type",
        "accept",
        "mcp-protocol-version",
        "mcp-session-id",
        "last-event-id",
      ],
      exposeHeaders: [
        "mcp-session-id",
        "RateLimit-Policy",
        "RateLimit",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "Retry-After",
        "WWW-Authenticate",
      ],
    }),
  );
  app.use(
    "/mcp/*",
    sizeLimit({
      maxSize: MAX_MCP_BODY_BYTES,
      onError: (c) =>
        c.json(
          rpcError(-32600, `Request body over ${MAX_MCP_BODY_BYTES} bytes; send less per call.`),
          413,
        ),
    }),
  );
  app.use(
    "/proxy/*",
    sizeLimit({
      maxSize: MAX_MCP_BODY_BYTES,
      onError: (c) =>
        c.json(
          {
            error: "body_too_large",
            detail: `Proxied request bodies are limited to ${MAX_MCP_BODY_BYTES} bytes.`,
          },
          413,
        ),
    }),
  );
  app.use(
    "/admin/*",
    bodyLimit({
      maxSize: MAX_ADMIN_BODY_BYTES,
      onError: (c) =>
        c.json(
          {
            error: "body_too_large",
            detail: `Admin request bodies are limited to ${MAX_ADMIN_BODY_BYTES} bytes.`,
          },
          413,
        ),
    }),
  );
}

/**
 * Hono's `bodyLimit`, without its cost on the common case: a request with a Content-Length
 * (which Node's HTTP parser holds the body to) is judged by that header alone, so its body
 * is later read by @hono/node-server's direct path instead of through a web `Request` built
 * for the check (about 0.1 ms a request). Chunked bodies go through `bodyLimit`, which counts
 * while reading.
 */
function sizeLimit(options: {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  const streaming = bodyLimit(options);
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      if (Number(length) > options.maxSize) return options.onError(c);
      return next();
    }
    return streaming(c, next);
  };
}
