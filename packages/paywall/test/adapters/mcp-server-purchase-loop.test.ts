// The payment loop in the SDK v2 adapter (@modelcontextprotocol/server 2.x), end to end over
// real sockets: the v2 client (@modelcontextprotocol/client 2.x, pinned) declares URL
// elicitation, is refused with -32042 carrying its own checkout, the checkout is paid on the
// emulator's hosted page (test card), Polar's webhook reaches the paywall, the client receives
// `notifications/elicitation/complete`, retries, and the retry is served and charged once.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  Client,
  ProtocolError,
  ProtocolErrorCode,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
import {
  createMcpHandler,
  McpServer,
  WebStandardStreamableHTTPServerTransport,
  type CallToolResult,
  type ClientCapabilities,
} from "@modelcontextprotocol/server";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolarProvider, toNodeHandler } from "../../src/index.js";
import {
  completingWebhooks,
  paidTool,
  PurchaseWaits,
} from "../../src/adapters/mcp-server/index.js";

let emulator: RunningEmulator;
let seed: NonNullable<RunningEmulator["seed"]>;
const servers: Server[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ db: ":memory:", seed: "demo" });
  seed = emulator.seed!;
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await emulator.close();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${seed.accessToken}`, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}`);
  return (await response.json()) as T;
}

async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function toRequest(req: IncomingMessage, url: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === "string") headers.set(name, value);
  return new Request(url, {
    method: req.method ?? "GET",
    headers,
    ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
  });
}

/** Streams a web Response (SSE included) to node:http. */
async function send(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    res.write(chunk.value);
  res.end();
}

/** A v2 McpServer whose `greet` is paid, with the purchase loop. */
function paidServer(polar: PolarProvider, waits: PurchaseWaits): McpServer {
  const mcp = new McpServer({ name: "paid-v2", version: "1.0.0" });
  mcp.registerTool(
    "greet",
    { description: "Says hello" },
    paidTool(
      polar,
      { toolName: "greet", elicitation: { server: mcp.server, waits } },
      async () => ({ content: [{ type: "text", text: "Hello!" }] }),
    ),
  );
  return mcp;
}

/** A session-keeping v2 server: one McpServer (with the paid tool) per MCP session. */
async function hostV2Sessions(polar: PolarProvider, waits: PurchaseWaits): Promise<string> {
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
  const url = await listen((req, res) => {
    void (async () => {
      const request = await toRequest(req, `http://127.0.0.1${req.url ?? "/"}`);
      const known = sessions.get(req.headers["mcp-session-id"] as string);
      if (known) return send(await known.handleRequest(request), res);
      const mcp = paidServer(polar, waits);
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, transport),
      });
      await mcp.connect(transport);
      await send(await transport.handleRequest(request), res);
    })();
  });
  return `${url}/mcp`;
}

/** Pays a hosted checkout as a person would: the page's form, with Polar's test card. */
async function payWithTestCard(checkoutUrl: string): Promise<number> {
  expect((await fetch(checkoutUrl)).ok).toBe(true);
  const paid = await fetch(checkoutUrl, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({
      customer_email: "v2-loop@example.com",
      card_number: "4242 4242 4242 4242",
      card_expiry: "12/34",
      card_cvc: "123",
    }),
  });
  return paid.status;
}

/** The emulator's Polar, its webhooks reaching the paywall through `completingWebhooks`. */
async function paywallWithWebhooks(waits: PurchaseWaits): Promise<PolarProvider> {
  const polar = PolarProvider.getInstance({
    token: seed.accessToken,
    organizationId: seed.organizationId,
    productId: seed.creditsProductId!,
    baseUrl: emulator.url,
    outbox: ":memory:",
  });
  const route = { handler: undefined as ReturnType<typeof toNodeHandler> | undefined };
  const webhookUrl = await listen((req, res) => {
    if (route.handler) void route.handler(req, res);
    else res.writeHead(503).end();
  });
  const endpoint = await api<{ secret: string }>("POST", "/v1/webhooks/endpoints", {
    url: `${webhookUrl}/webhooks/polar`,
    name: "v2 payment loop",
    format: "raw",
    events: ["benefit_grant.created", "benefit_grant.updated", "customer.state_changed"],
  });
  route.handler = toNodeHandler(
    completingWebhooks(polar.webhookHandler({ secret: endpoint.secret }), waits),
  );
  return polar;
}

/** A new customer holding a license key and no credits yet: what buying credits fixes. */
async function customerWithoutCredits(): Promise<{ customerId: string; licenseKey: string }> {
  const customer = await api<{ id: string }>("POST", "/v1/customers/", {
    email: `v2-${randomUUID()}@example.com`,
    name: "V2 Loop Customer",
  });
  const grant = await api<{ properties: { license_key_id?: string } }>(
    "POST",
    "/__emulator/benefit-grants",
    { customer_id: customer.id, benefit_id: seed.benefitIds.licenseKeys },
  );
  const key = await api<{ key: string }>(
    "GET",
    `/v1/license-keys/${grant.properties.license_key_id}`,
  );
  return { customerId: customer.id, licenseKey: key.key };
}

async function toolCalls(customerId: string): Promise<number> {
  const page = await api<{ pagination: { total_count: number } }>(
    "GET",
    `/v1/events/?customer_id=${customerId}&name=tool_call&limit=1`,
  );
  return page.pagination.total_count;
}

async function connect(
  url: string,
  licenseKey: string,
  capabilities: ClientCapabilities,
  revision?: "2026-07-28",
) {
  const client = new Client(
    { name: "v2-agent", version: "1.0.0" },
    { capabilities, ...(revision ? { versionNegotiation: { mode: { pin: revision } } } : {}) },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { "license-key": licenseKey } },
    }),
  );
  return client;
}

/** The call is refused with the `isError` denial (no -32042), nothing waits, nothing is charged. */
async function expectStructuredDenial(
  client: Client,
  polar: PolarProvider,
  waits: PurchaseWaits,
  customerId: string,
): Promise<void> {
  try {
    const denied = (await client.callTool({ name: "greet", arguments: {} })) as CallToolResult;
    expect(denied.isError).toBe(true);
    expect(denied.structuredContent).toMatchObject({
      code: "meter_credit_exhausted",
      checkoutUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/checkout\//),
    });
    expect(waits.size).toBe(0);
    await polar.flush();
    expect(await toolCalls(customerId)).toBe(0);
  } finally {
    await client.close();
  }
}

describe("paidTool (SDK v2) with the payment loop, over Streamable HTTP", () => {
  it("declared URL elicitation: -32042 with the customer's checkout, paid, completion on the webhook, the retry served and charged once", async () => {
    const waits = new PurchaseWaits();
    const polar = await paywallWithWebhooks(waits);
    const url = await hostV2Sessions(polar, waits);
    const { customerId, licenseKey } = await customerWithoutCredits();
    const client = await connect(url, licenseKey, { elicitation: { url: {} } });
    const completions: string[] = [];
    client.setNotificationHandler("notifications/elicitation/complete", (n) => {
      completions.push(n.params.elicitationId);
    });
    try {
      const call = () => client.callTool({ name: "greet", arguments: {} });
      const refused = await call().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ProtocolError);
      expect((refused as ProtocolError).code).toBe(ProtocolErrorCode.UrlElicitationRequired);
      const [elicitation] = (
        (refused as ProtocolError).data as {
          elicitations: { mode: string; elicitationId: string; url: string; message: string }[];
        }
      ).elicitations;
      expect(elicitation).toMatchObject({
        mode: "url",
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/polar_c_[\w-]+$/),
        message: expect.stringContaining("credits"),
      });
      expect(waits.size).toBe(1);
      expect(completions).toEqual([]);

      expect(await payWithTestCard(elicitation!.url)).toBe(303);
      await expect
        .poll(() => completions, { timeout: 15_000 })
        .toEqual([elicitation!.elicitationId]);
      expect(waits.size).toBe(0);

      const retried = (await call()) as CallToolResult;
      expect(retried.isError).toBeFalsy();
      expect(retried.content).toEqual([{ type: "text", text: "Hello!" }]);
      await polar.flush();
      expect(polar.pendingEvents()).toBe(0);
      // The refusal cost nothing; the served retry is charged exactly once.
      expect(await toolCalls(customerId)).toBe(1);
    } finally {
      await client.close();
    }
  });

  it("a 2026-07-28 request (no -32042 in that revision) keeps the structured denial though the client declared URL elicitation", async () => {
    const waits = new PurchaseWaits();
    const polar = await paywallWithWebhooks(waits);
    const handler = createMcpHandler(() => paidServer(polar, waits));
    const base = await listen((req, res) => {
      void (async () => {
        const request = await toRequest(req, `http://127.0.0.1${req.url ?? "/"}`);
        await send(await handler.fetch(request), res);
      })();
    });
    const { customerId, licenseKey } = await customerWithoutCredits();
    const client = await connect(
      `${base}/mcp`,
      licenseKey,
      { elicitation: { url: {} } },
      "2026-07-28",
    );
    await expectStructuredDenial(client, polar, waits, customerId);
  });

  it("a client without the capability keeps the structured denial, and nothing waits", async () => {
    const waits = new PurchaseWaits();
    const polar = await paywallWithWebhooks(waits);
    const url = await hostV2Sessions(polar, waits);
    const { customerId, licenseKey } = await customerWithoutCredits();
    const client = await connect(url, licenseKey, {});
    await expectStructuredDenial(client, polar, waits, customerId);
  });
});
