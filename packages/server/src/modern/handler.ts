import { createMcpHandler, type AuthInfo } from "@modelcontextprotocol/server";
import type { PolarMcpServerOptions } from "../options.js";
import { createModernPolarMcpServer } from "./server.js";

/** Builds the server of one request or connection. */
export type ModernServerFactory = () => ReturnType<typeof createModernPolarMcpServer>;

/** What one request tells the options factory of {@link createPolarMcpHandler}. */
export interface PolarMcpRequestContext {
  /** `modern` for 2026-07-28 requests, `legacy` for 2025-era ones. */
  era: "modern" | "legacy";
  /** The HTTP request, when served over HTTP. */
  request: Request | undefined;
  /** Authentication the mounting host verified and passed to `fetch` (never read from headers here). */
  authInfo: AuthInfo | undefined;
}

/** A web-standard MCP endpoint serving both protocol eras. */
export interface PolarMcpHandler {
  /** Serves one HTTP request (POST /mcp …); `authInfo` is passed through to the options factory. */
  fetch(request: Request, options?: { authInfo?: AuthInfo }): Promise<Response>;
  /** Aborts in-flight modern exchanges. */
  close(): Promise<void>;
}

/**
 * One Streamable HTTP endpoint for both MCP eras: 2026-07-28 (stateless requests carrying
 * their protocol version, `server/discover`, no initialize) and 2025-11-25 and earlier
 * (initialize, then requests; served statelessly), from one definition of the Polar tools.
 * `options` is fixed, or computed per request (a gateway's tenant, a signed-in user's
 * token). Fixed options are checked here, so filter mistakes fail before anything serves.
 * The handler validates neither Host/Origin nor tokens: mount it behind your own checks,
 * as `servePolarMcp` does.
 *
 * @example
 * const handler = createPolarMcpHandler({ spec, accessToken: process.env.POLAR_ACCESS_TOKEN });
 * app.all("/mcp", (c) => handler.fetch(c.req.raw)); // Hono; Node: toNodeHandler(handler)
 */
export function createPolarMcpHandler(
  options:
    | PolarMcpServerOptions
    | ((context: PolarMcpRequestContext) => PolarMcpServerOptions | Promise<PolarMcpServerOptions>),
  handlerOptions: {
    /** Told about failures the handler answers itself (a 500, a refused request): log them. */
    onError?: (error: Error) => void;
  } = {},
): PolarMcpHandler {
  if (typeof options !== "function") createModernPolarMcpServer(options);
  const handler = createMcpHandler(
    async (ctx) => {
      const resolved =
        typeof options === "function"
          ? await options({ era: ctx.era, request: ctx.requestInfo, authInfo: ctx.authInfo })
          : options;
      return createModernPolarMcpServer(resolved);
    },
    {
      legacy: "stateless",
      ...(handlerOptions.onError ? { onerror: handlerOptions.onError } : {}),
    },
  );
  return {
    fetch: (request, fetchOptions) =>
      handler.fetch(request, fetchOptions?.authInfo ? { authInfo: fetchOptions.authInfo } : {}),
    close: () => handler.close(),
  };
}
