// The payment loop in the SDK v1 adapter: paidTool with `elicitation: { server, waits }`. A
// client that declared URL elicitation gets -32042 with its own checkout; once the purchase is
// known (here: credits granted in the emulator, then the customer's change reported as a
// webhook would), the completion arrives and the retry succeeds. A client without the
// capability keeps the structured denial.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  ElicitationCompleteNotificationSchema,
  ErrorCode,
  McpError,
  type CallToolResult,
  type ClientCapabilities,
} from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { paidTool, PurchaseWaits } from "../../src/adapters/mcp-sdk/index.js";
import { createFixture } from "../emulator-fixture.js";

async function session(
  f: ReturnType<typeof createFixture>,
  waits: PurchaseWaits,
  licenseKey: string,
  capabilities: ClientCapabilities,
) {
  const polar = f.provider({ productId: f.seed.creditsProductId! });
  const mcp = new McpServer({ name: "paid", version: "1.0.0" });
  mcp.registerTool(
    "greet",
    { description: "Says hello" },
    paidTool(
      polar,
      { toolName: "greet", elicitation: { server: mcp.server, waits } },
      async () => ({
        content: [{ type: "text", text: "Hello!" }],
      }),
    ),
  );
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await mcp.connect(serverSide);
  const client = new Client({ name: "agent", version: "1.0.0" }, { capabilities });
  await client.connect(clientSide);
  const call = () =>
    client.callTool({
      name: "greet",
      arguments: {},
      _meta: { "license-key": licenseKey },
    }) as Promise<CallToolResult>;
  return { client, call, polar };
}

describe("paidTool (SDK v1) with the payment loop", () => {
  it("declared URL elicitation: -32042 with the customer's checkout, completion after the purchase, retry succeeds", async () => {
    const f = createFixture("background", { instantBalances: true });
    // A key but no credits yet: what buying the credits pack fixes.
    const { customerId, licenseKey } = await f.newCustomer({ credits: false });
    const waits = new PurchaseWaits();
    const { client, call } = await session(f, waits, licenseKey, { elicitation: { url: {} } });
    const completions: string[] = [];
    client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => {
      completions.push(n.params.elicitationId);
    });
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(ErrorCode.UrlElicitationRequired);
    const [elicitation] = (
      (error as McpError).data as {
        elicitations: { elicitationId: string; url: string; mode: string }[];
      }
    ).elicitations;
    expect(elicitation).toMatchObject({ mode: "url", url: expect.stringMatching(/^https?:\/\//) });
    expect(waits.size).toBe(1);

    // Nothing bought yet: a change reported for the customer completes nothing.
    expect(await waits.customerChanged(customerId)).toBe(0);
    expect(completions).toEqual([]);

    // What the purchase grants: the credits benefit.
    await f.api("POST", "/__emulator/benefit-grants", {
      customer_id: customerId,
      benefit_id: f.seed.benefitIds.meterCredit,
    });
    await f.provider({ productId: f.seed.creditsProductId! }).invalidateCustomer(customerId);
    expect(await waits.customerChanged(customerId)).toBe(1);
    await expect.poll(() => completions).toEqual([elicitation!.elicitationId]);
    const retried = await call();
    expect(retried.isError).toBeFalsy();
    expect(waits.size).toBe(0);
    await client.close();
  });

  it("no capability declared: the isError denial with code, message, checkoutUrl and balance", async () => {
    const f = createFixture("background", { instantBalances: true });
    const { customerId, licenseKey } = await f.newCustomer();
    await f.ingest(customerId, 100);
    const waits = new PurchaseWaits();
    const { client, call } = await session(f, waits, licenseKey, {});
    const denied = await call();
    expect(denied.isError).toBe(true);
    expect(denied.structuredContent).toEqual({
      code: "meter_credit_exhausted",
      message: expect.stringContaining("credits"),
      checkoutUrl: expect.stringMatching(/^https?:\/\//),
      balance: 0,
    });
    expect(waits.size).toBe(0);
    await client.close();
  });

  it("a new customer without a key and with the capability: -32042 with the product's checkout, saying where the key will be", async () => {
    const f = createFixture("background", { instantBalances: true });
    const waits = new PurchaseWaits();
    const { client, call } = await session(f, waits, "", { elicitation: { url: {} } });
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(ErrorCode.UrlElicitationRequired);
    const [elicitation] = (
      (error as McpError).data as { elicitations: { url: string; message: string }[] }
    ).elicitations;
    expect(elicitation!.message).toContain("customer portal");
    expect(elicitation!.message).toContain("`license-key` header");
    // The product's checkout link (no customer yet): it opens a checkout (a redirect to one).
    const page = await f.emulator.fetch(new Request(elicitation!.url));
    expect(page.status).toBeLessThan(400);
    // Nobody to complete for until they pay and come back with their key.
    expect(waits.size).toBe(0);
    await client.close();
  });
});
