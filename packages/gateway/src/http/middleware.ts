import type { Hono } from "hono";
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
    bodyLimit({
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
    bodyLimit({
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
