import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

export interface HostedMcp {
  url: string;
  close(): Promise<void>;
}

/** Request bodies above this are refused with 413 (default 1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBytes) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Stop reading at the limit: a client that lies about (or omits) its length gains nothing.
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as unknown) : undefined;
}

const jsonRpcError = (code: number, message: string) =>
  JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });

// Plain text (never HTML), so the Host header echoed into it cannot become markup.
const aboutMcpUrl = (
  url: string,
) => `This is an MCP server (Model Context Protocol, Streamable HTTP).
It answers JSON-RPC in POST requests from an MCP client; a browser has nothing to show here.
Add it to a client, e.g.: claude mcp add --transport http NAME ${url} --header "license-key: YOUR_KEY"
`;

export interface HostMcpOptions {
  port?: number;
  host?: string;
  /** Other POST routes served beside `/mcp`, e.g. `{ "/webhooks/polar": toNodeHandler(polar.webhookHandler(…)) }`. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;
  /** Largest accepted request body, in bytes (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Told about each request that failed inside the server (one structured line; default: stderr). */
  onError?: (fields: { code: string; reason: string }) => void;
}

/**
 * Serves an MCP server over Streamable HTTP at `/mcp`, stateless: each request gets a fresh
 * server and transport (the MCP SDK's stateless pattern), so request headers such as
 * `license-key` reach the tool of that very request.
 *
 * Stateless means no MCP session: with `sessionSpendCap` set, paid tools refuse calls served
 * here (the cap could not be enforced); use the SDK's stateful transport for session caps.
 */
export async function hostMcpOverHttp(
  createMcpServer: () => McpServer,
  options: HostMcpOptions = {},
): Promise<HostedMcp> {
  const host = options.host ?? "127.0.0.1";
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onError =
    options.onError ??
    ((fields: { code: string; reason: string }) =>
      process.stderr.write(`${JSON.stringify({ level: "error", ...fields })}\n`));
  const server: Server = createServer((req, res) => {
    void (async () => {
      const route = options.routes?.[(req.url ?? "").split("?")[0] ?? ""];
      if (route && req.method === "POST") {
        await route(req, res);
        return;
      }
      if (!req.url?.startsWith("/mcp")) {
        res
          .writeHead(404, { "content-type": "application/json" })
          .end(JSON.stringify({ error: "Not found: the MCP endpoint is /mcp" }));
        return;
      }
      if (req.method === "GET" && !(req.headers.accept ?? "").includes("text/event-stream")) {
        // A browser or curl, not an MCP client (whose GET asks for an event stream).
        res
          .writeHead(405, { allow: "POST", "content-type": "text/plain; charset=utf-8" })
          .end(aboutMcpUrl(`http://${req.headers.host ?? host}/mcp`));
        return;
      }
      let body: unknown;
      try {
        body = req.method === "POST" ? await readBody(req, maxBodyBytes) : undefined;
      } catch (error) {
        const tooLarge = error instanceof BodyTooLarge;
        res
          .writeHead(tooLarge ? 413 : 400, {
            "content-type": "application/json",
            ...(tooLarge ? { connection: "close" } : {}),
          })
          .end(
            tooLarge
              ? jsonRpcError(-32600, `Request body too large: the limit is ${maxBodyBytes} bytes.`)
              : jsonRpcError(-32700, "Parse error: the body is not JSON."),
          );
        if (tooLarge) req.destroy();
        return;
      }
      const mcp = createMcpServer();
      const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
      res.on("close", () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch((error: unknown) => {
      onError({
        code: "mcp_http_internal_error",
        reason: error instanceof Error ? error.name : typeof error,
      });
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(jsonRpcError(-32603, "Internal error"));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
