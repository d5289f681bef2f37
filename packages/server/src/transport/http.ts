import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeHandler } from "@modelcontextprotocol/node";
import type { PolarSignIn } from "../auth/polar-sign-in.js";
import type { PolarMcpHandler } from "../modern/handler.js";
import { createHttpGuard, type HttpGuardOptions } from "./guard.js";

/** Options of {@link startHttpTransport}. */
export interface HttpTransportOptions extends HttpGuardOptions {
  /** Port to listen on; 0 picks a free one (default 3000). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Endpoint path (default `/mcp`). */
  path?: string;
  /** The MCP endpoint (both eras): see `createPolarMcpHandler`. */
  handler: PolarMcpHandler;
  /** Where a 5xx writes its one structured line (default: JSON on stderr). */
  log?: (entry: Record<string, unknown>) => void;
  /**
   * "Sign in with Polar": builds the resource-server gate once the URL is known (see
   * `createPolarSignIn`). Requests to the endpoint then need a token Polar accepts; the
   * well-known metadata routes are served. Replaces `httpToken`.
   */
  signIn?: (resourceUrl: URL) => Promise<PolarSignIn>;
  /** Public URL of the endpoint when behind a proxy (default: the bound URL). */
  publicUrl?: string;
}

/**
 * Serves MCP over Streamable HTTP, statelessly, in both eras: 2026-07-28 requests and
 * 2025-era `initialize` sessions on one endpoint, each request answered by a fresh server,
 * so replicas need no affinity. Host, Origin and the bearer token are checked first; GET
 * (server-initiated streams) and DELETE answer 405.
 */
export async function startHttpTransport(
  options: HttpTransportOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/mcp";
  const guard = createHttpGuard(options, host);
  const log = options.log ?? ((entry) => process.stderr.write(`${JSON.stringify(entry)}\n`));
  const serveMcp = toNodeHandler(options.handler, {
    onerror: (error) => log(failure(500, error)),
  });
  let signIn: PolarSignIn | undefined;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      log(failure(500, error));
      if (!res.headersSent) sendJson(res, 500, rpcError(-32603, "Internal server error"));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (signIn && pathname.startsWith("/.well-known/")) {
      const answer = signIn.metadataResponse(headersOnly(req));
      if (answer) return writeResponse(res, answer);
    }
    if (pathname !== path)
      return sendJson(res, 404, { error: "not_found", detail: `The MCP endpoint is ${path}.` });
    const verdict = guard(req);
    if (!verdict.ok) {
      if (verdict.status === 401) res.setHeader("www-authenticate", "Bearer");
      return sendJson(res, verdict.status, rpcError(-32001, verdict.message));
    }
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return sendJson(
        res,
        405,
        rpcError(-32000, "Method not allowed: this endpoint is stateless; use POST."),
      );
    }
    const auth = signIn ? await signIn.authenticate(headersOnly(req)) : undefined;
    if (auth instanceof Response) return writeResponse(res, auth);
    // The adapter's request shape declares method and url without `undefined`; `auth` is
    // passed to the handler as the verified authInfo.
    const request = {
      method: req.method ?? "POST",
      url: req.url ?? path,
      headers: req.headers,
      ...(auth ? { auth } : {}),
      [Symbol.asyncIterator]: () => req[Symbol.asyncIterator](),
    };
    await serveMcp(request, res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${shownHost}:${address.port}${path}`;
  if (options.signIn) signIn = await options.signIn(new URL(options.publicUrl ?? url));
  return {
    url,
    close: async () => {
      await options.handler.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

// One structured line per 5xx: what failed, never a stack, a path or a secret.
function failure(status: number, error: unknown): Record<string, unknown> {
  return {
    level: "error",
    msg: "MCP request failed",
    status,
    error: error instanceof Error ? error.name : typeof error,
    time: new Date().toISOString(),
  };
}

// A body-less web Request with the node request's method, URL and headers (for checks
// that read only those: bearer tokens, well-known routes).
function headersOnly(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const method =
    req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS" ? req.method : "GET";
  return new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), {
    method,
    headers,
  });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(body));
}

function rpcError(code: number, message: string): unknown {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}
