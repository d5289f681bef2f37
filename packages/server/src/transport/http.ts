import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createHttpGuard, type HttpGuardOptions } from "./guard.js";

/** Options of {@link startHttpTransport}. */
export interface HttpTransportOptions extends HttpGuardOptions {
  /** Port to listen on; 0 picks a free one (default 3000). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Endpoint path (default `/mcp`). */
  path?: string;
  /** Creates the MCP server of one request (stateless mode). */
  createServer: () => McpServer;
}

/**
 * Serves MCP over Streamable HTTP in stateless mode: every POST gets a fresh server and
 * transport, answered as JSON. Stateless keeps no session state in memory, so replicas
 * need no affinity; GET (server-initiated streams) and DELETE answer 405.
 */
export async function startHttpTransport(
  options: HttpTransportOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/mcp";
  const guard = createHttpGuard(options, host);
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, rpcError(-32603, "Internal server error"));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
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
    // No sessionIdGenerator: stateless mode.
    const mcp = options.createServer();
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
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
  return {
    url: `http://${shownHost}:${address.port}${path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(body));
}

function rpcError(code: number, message: string): unknown {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}
