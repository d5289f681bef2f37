import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  isInitializeRequest,
  type ClientCapabilities,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";
import { completingWebhooks, PurchaseWaits } from "../adapters/core/purchase-elicitation.js";
import type { FetchLike } from "../polar/polar-api.js";
import type { PaywallLogger } from "../provider/config.js";
import { PolarProvider } from "../provider/polar-provider.js";
import { toNodeHandler } from "../webhooks/node-handler.js";
import { createPaidProxyServer } from "./paid-proxy.js";
import type { ProxyConfig } from "./proxy-config.js";
import { connectUpstream } from "./upstream.js";

export const WEBHOOK_PATH = "/webhooks/polar";
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface StartProxyOptions {
  config: ProxyConfig;
  /** Organization access token (env POLAR_ACCESS_TOKEN in the CLI). */
  token: string;
  /** `"stdio"`: serve this process's stdin/stdout (webhooks on `port` if given). `"http"`: Streamable HTTP at `/mcp`. */
  transport: "stdio" | "http";
  port?: number;
  host?: string;
  /**
   * Webhooks tell the proxy a purchase went through: `secret` of an endpoint you registered at
   * `<this server>/webhooks/polar`, or `register: true` to let the proxy register (and keep)
   * its own endpoint in Polar at `publicUrl` (default: the address it listens on).
   */
  webhook?: { secret?: string; register?: boolean; publicUrl?: string };
  fetch?: FetchLike;
  /** The paywall's outbox (default: see `Configuration.outbox`). */
  outbox?: string;
  logger?: PaywallLogger;
}

export interface RunningProxy {
  /** The MCP endpoint (HTTP transport). */
  mcpUrl?: string;
  /** Where Polar's webhooks are received, when a listener runs. */
  webhookUrl?: string;
  polar: PolarProvider;
  waits: PurchaseWaits;
  /** Sessions open (HTTP), 1 for stdio. */
  sessions(): number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RangeError("body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as unknown) : undefined;
}

const rpcError = (res: ServerResponse, status: number, code: number, message: string) => {
  if (!res.headersSent) res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
};

/**
 * `polar-mcp paywall proxy`: puts an MCP server behind the paywall. Over HTTP each MCP
 * session gets its own upstream connection (a stdio upstream is spawned per session), so the
 * upstream's per-session state and notifications stay with their session.
 */
export async function startPaidProxy(options: StartProxyOptions): Promise<RunningProxy> {
  const { config } = options;
  const polar = PolarProvider.getInstance({
    token: options.token,
    organizationId: config.polar.organizationId,
    productId: config.polar.productId,
    ...(config.polar.baseUrl ? { baseUrl: config.polar.baseUrl } : {}),
    ...(config.polar.type ? { type: config.polar.type } : {}),
    ...(config.polar.successUrl ? { successUrl: config.polar.successUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.outbox ? { outbox: options.outbox } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const waits = new PurchaseWaits();
  const logError = (fields: Record<string, unknown>) =>
    (
      options.logger ?? {
        error: (m: string, f?: Record<string, unknown>) =>
          process.stderr.write(`${JSON.stringify({ level: "error", message: m, ...f })}\n`),
      }
    ).error("paywall proxy: request failed", fields);

  const sessions = new Map<
    string,
    { transport: StreamableHTTPServerTransport; close(): Promise<void> }
  >();
  let stdioClose: (() => Promise<void>) | undefined;
  let onWebhook: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;

  const openSession = async (transport: "http" | "stdio", capabilities: ClientCapabilities) => {
    const upstream = await connectUpstream(config.upstream, capabilities);
    const proxy = createPaidProxyServer({ config, polar, upstream, transport, waits });
    return {
      server: proxy.server,
      close: async () => {
        proxy.dispose();
        await proxy.server.close();
        await upstream.close();
      },
    };
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse) => {
    const sessionId = req.headers["mcp-session-id"];
    const existing = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
    let body: unknown;
    if (req.method === "POST") {
      try {
        body = await readJson(req);
      } catch (error) {
        return error instanceof RangeError
          ? rpcError(
              res,
              413,
              -32600,
              `Request body too large: the limit is ${MAX_BODY_BYTES} bytes.`,
            )
          : rpcError(res, 400, -32700, "Parse error: the body is not JSON.");
      }
    }
    if (existing) return existing.transport.handleRequest(req, res, body);
    if (sessionId !== undefined)
      return rpcError(res, 404, -32001, "Session not found: initialize a new session.");
    if (req.method !== "POST" || !isInitializeRequest(body))
      return rpcError(res, 400, -32000, "Bad request: send initialize first (no Mcp-Session-Id).");
    const session = await openSession("http", body.params.capabilities);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, close: session.close });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      void session.close();
    };
    await session.server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const wantsListener = options.transport === "http" || options.port !== undefined;
  let listener: ReturnType<typeof createServer> | undefined;
  let baseUrl: string | undefined;
  if (wantsListener) {
    const host = options.host ?? "127.0.0.1";
    listener = createServer((req, res) => {
      const path = (req.url ?? "").split("?")[0];
      void (async () => {
        if (path === WEBHOOK_PATH && req.method === "POST") {
          if (onWebhook) return onWebhook(req, res);
          res.writeHead(503).end();
          return;
        }
        if (path === "/mcp" && options.transport === "http") return handleMcp(req, res);
        res
          .writeHead(404, { "content-type": "application/json" })
          .end(JSON.stringify({ error: "Not found: the MCP endpoint is /mcp" }));
      })().catch((error: unknown) => {
        logError({
          code: "proxy_internal_error",
          reason: error instanceof Error ? error.name : typeof error,
        });
        rpcError(res, 500, -32603, "Internal error");
      });
    });
    await new Promise<void>((resolve, reject) => {
      listener!.once("error", reject);
      listener!.listen(options.port ?? 0, host, () => resolve());
    });
    baseUrl = `http://${host}:${(listener.address() as AddressInfo).port}`;
    const publicUrl = options.webhook?.publicUrl ?? `${baseUrl}${WEBHOOK_PATH}`;
    if (options.webhook?.secret || options.webhook?.register)
      onWebhook = toNodeHandler(
        completingWebhooks(
          polar.webhookHandler(
            options.webhook.secret ? { secret: options.webhook.secret } : { publicUrl },
          ),
          waits,
        ),
      );
  }

  if (options.transport === "stdio") {
    // The upstream is connected once the client's initialize arrived: it declares its capabilities.
    const stdio = await openingStdio();
    const session = await openSession("stdio", stdio.capabilities);
    await session.server.connect(stdio.transport);
    stdio.replay();
    stdioClose = session.close;
  }

  return {
    ...(options.transport === "http" && baseUrl ? { mcpUrl: `${baseUrl}/mcp` } : {}),
    ...(onWebhook && baseUrl
      ? { webhookUrl: options.webhook?.publicUrl ?? `${baseUrl}${WEBHOOK_PATH}` }
      : {}),
    polar,
    waits,
    sessions: () => (stdioClose ? 1 : sessions.size),
    close: async () => {
      for (const session of [...sessions.values()]) await session.transport.close();
      await stdioClose?.();
      if (listener) {
        listener.closeAllConnections();
        await new Promise<void>((resolve) => listener!.close(() => resolve()));
      }
      await polar.close();
    },
  };
}

/**
 * Reads stdin until the client's first message (its initialize), then hands a transport that
 * replays it (and anything queued meanwhile) to the server once connected.
 */
async function openingStdio(): Promise<{
  capabilities: ClientCapabilities;
  transport: Transport;
  replay(): void;
}> {
  const stdio = new StdioServerTransport();
  const queued: JSONRPCMessage[] = [];
  let deliver: ((message: JSONRPCMessage) => void) | undefined;
  const first = new Promise<JSONRPCMessage>((resolve) => {
    stdio.onmessage = (message) => {
      if (deliver) return deliver(message);
      queued.push(message);
      if (queued.length === 1) resolve(message);
    };
  });
  await stdio.start();
  const initialize = await first;
  const transport: Transport = {
    start: async () => {},
    send: (message) => stdio.send(message),
    close: () => stdio.close(),
  };
  stdio.onclose = () => transport.onclose?.();
  stdio.onerror = (error) => transport.onerror?.(error);
  return {
    capabilities: isInitializeRequest(initialize) ? initialize.params.capabilities : {},
    transport,
    replay: () => {
      deliver = (message) => transport.onmessage?.(message);
      for (const message of queued.splice(0)) deliver(message);
    },
  };
}
