import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

export interface HostedMcp {
  url: string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/**
 * Serves an MCP server over Streamable HTTP at `/mcp`, stateless: each request gets a fresh
 * server and transport (the MCP SDK's stateless pattern), so request headers such as
 * `license-key` reach the tool of that very request.
 */
export interface HostMcpOptions {
  port?: number;
  host?: string;
  /** Other POST routes served beside `/mcp`, e.g. `{ "/webhooks/polar": toNodeHandler(polar.webhookHandler(…)) }`. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;
}

export async function hostMcpOverHttp(
  createMcpServer: () => McpServer,
  options: HostMcpOptions = {},
): Promise<HostedMcp> {
  const host = options.host ?? "127.0.0.1";
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
      let body: unknown;
      try {
        body = req.method === "POST" ? await readBody(req) : undefined;
      } catch {
        res.writeHead(400, { "content-type": "application/json" }).end(
          JSON.stringify({
            jsonrpc: "2.0",
            error: { code: -32700, message: "Parse error: the body is not JSON." },
            id: null,
          }),
        );
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
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          error: { code: -32603, message: "Internal error" },
          id: null,
        }),
      );
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
