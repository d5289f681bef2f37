import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  ElicitationCompleteNotificationSchema,
  ErrorCode,
  McpError,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";
import { completingWebhooks, PurchaseWaits } from "../adapters/core/purchase-elicitation.js";
import { paidTool } from "../adapters/mcp-sdk/paid-tool.js";
import { toNodeHandler } from "../webhooks/node-handler.js";
import type { RunningDemo } from "./start-demo.js";

/**
 * The payment loop in the scripted demo: a client that declared URL elicitation is refused
 * (-32042) with its own checkout, pays it (the hosted page's form, test card), receives
 * `notifications/elicitation/complete` when Polar's webhook reports the purchase, and retries.
 */
export async function runPaymentLoop(
  demo: RunningDemo,
  step: (passed: boolean, line: string) => void,
  payWithTestCard: (url: string) => Promise<boolean>,
): Promise<void> {
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${demo.emulatorUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${demo.seed.accessToken}`,
        "content-type": "application/json",
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
    return (await response.json()) as T;
  };
  const benefits = (demo.seed as unknown as { benefitIds?: { licenseKeys?: string } }).benefitIds;
  if (!benefits?.licenseKeys) return step(false, "payment loop: the demo seed names no benefits");

  const waits = new PurchaseWaits();
  const onWebhook = { handler: undefined as ReturnType<typeof toNodeHandler> | undefined };
  const listener = createServer((req, res) => {
    if (onWebhook.handler) void onWebhook.handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/webhooks/polar`;
  const endpoint = await api<{ id: string; secret: string }>("POST", "/v1/webhooks/endpoints", {
    url: webhookUrl,
    name: "polar-mcp demo payment loop",
    format: "raw",
    events: ["benefit_grant.created", "benefit_grant.updated", "customer.state_changed"],
  });
  onWebhook.handler = toNodeHandler(
    completingWebhooks(demo.polar.webhookHandler({ secret: endpoint.secret }), waits),
  );

  // A new customer with a key and no credits yet: what buying the credits pack fixes.
  const customer = await api<{ id: string }>("POST", "/v1/customers/", {
    email: `loop-${Date.now()}@example.com`,
    name: "Loop Customer",
  });
  const grant = await api<{ properties: { license_key_id?: string } }>(
    "POST",
    "/__emulator/benefit-grants",
    { customer_id: customer.id, benefit_id: benefits.licenseKeys },
  );
  const key = await api<{ key: string }>(
    "GET",
    `/v1/license-keys/${grant.properties.license_key_id}`,
  );

  const mcp = new McpServer({ name: "polar-mcp-demo-loop", version: "0.1.0" });
  mcp.registerTool(
    "fortune",
    { description: "A paid fortune" },
    paidTool(
      demo.polar,
      { toolName: "fortune", elicitation: { server: mcp.server, waits } },
      async () => ({ content: [{ type: "text", text: "A purchase well made." }] }),
    ),
  );
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await mcp.connect(serverSide);
  const client = new Client(
    { name: "polar-mcp-demo-agent", version: "0.1.0" },
    { capabilities: { elicitation: { url: {} } } },
  );
  let completed: (id: string) => void = () => {};
  const completion = new Promise<string>((resolve) => (completed = resolve));
  client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) =>
    completed(n.params.elicitationId),
  );
  await client.connect(clientSide);
  const call = () =>
    client.callTool({
      name: "fortune",
      arguments: {},
      _meta: { "license-key": key.key },
    }) as Promise<CallToolResult>;
  try {
    const refused = await call().then(
      () => undefined,
      (error: unknown) => error,
    );
    const elicitation =
      refused instanceof McpError && refused.code === ErrorCode.UrlElicitationRequired
        ? (refused.data as { elicitations?: { elicitationId: string; url: string }[] })
            .elicitations?.[0]
        : undefined;
    step(
      elicitation !== undefined,
      `a client declaring URL elicitation, without credits → -32042 asking it to open ${elicitation?.url ?? "nothing"}`,
    );
    if (!elicitation) return;
    step(await payWithTestCard(elicitation.url), "the agent's user paid that checkout (test card)");
    const timeout = new Promise<undefined>((resolve) =>
      setTimeout(resolve, 15_000, undefined).unref(),
    );
    const id = await Promise.race([completion, timeout]);
    step(
      id === elicitation.elicitationId,
      "notifications/elicitation/complete received once Polar's webhook reported the purchase",
    );
    const retried = await call();
    step(retried.isError !== true, "the retry succeeds");
  } finally {
    await client.close();
    listener.closeAllConnections();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  }
}
