// Issue 20: any MCP server behind the paywall with no code — @modelcontextprotocol/server-everything
// (pinned) behind `startPaidProxy` over Streamable HTTP, against the emulator over real sockets.
// The payment loop: a client declaring URL elicitation exhausts its credits, gets -32042 with its
// checkout, headless Chromium pays with 4242…, the completion arrives, the retry succeeds.
import { Ajv2020 } from "ajv/dist/2020.js";
import formatsModule from "ajv-formats";
import type { FormatsPlugin } from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  ElicitationCompleteNotificationSchema,
  ErrorCode,
  McpError,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { launchBrowser } from "../../../emulator/test/commerce/browser.js";
import {
  DENIAL_JSON_SCHEMA,
  PRICE_META_KEY,
  startPaidProxy,
  type RunningProxy,
} from "../../src/proxy/index.js";
import { parseProxyConfig } from "../../src/proxy/proxy-config.js";
import { connectClient, EVERYTHING, payInBrowser, startPolar } from "./proxy-fixture.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const formats = formatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formats.default ?? formats;

let polar: Awaited<ReturnType<typeof startPolar>>;
let proxy: RunningProxy;

beforeAll(async () => {
  polar = await startPolar();
  proxy = await startPaidProxy({
    transport: "http",
    token: polar.seed.accessToken,
    outbox: ":memory:",
    webhook: { register: true },
    config: parseProxyConfig({
      upstream: { command: process.execPath, args: [EVERYTHING, "stdio"] },
      polar: {
        organizationId: polar.seed.organizationId,
        // The one-time credits pack: bought again and again, each purchase adds 100 credits.
        productId: polar.seed.creditsProductId,
        baseUrl: polar.emulator.url,
      },
      tools: { "get-sum": { argument: "a", min: 1 } },
      free: ["echo"],
    }),
  });
  // The proxy registers its own webhook endpoint in Polar; purchases are reported there.
  await vi.waitFor(
    async () => {
      if (!(await polar.webhookRegistered(proxy.webhookUrl!)))
        throw new Error("not registered yet");
    },
    { timeout: 10_000, interval: 100 },
  );
});

afterAll(async () => {
  await proxy?.close();
  await polar?.emulator.close();
});

const text = (result: CallToolResult) =>
  result.content.map((c) => (c.type === "text" ? c.text : "")).join("");

// Each session spawns server-everything (npx-free, but seconds on a loaded machine).
describe(
  "paid proxy over Streamable HTTP, server-everything behind it",
  { timeout: 120_000 },
  () => {
    it("forwards tools/list with prices in _meta and descriptions, and prompts and resources unchanged", async () => {
      const { licenseKey } = await polar.customer(0);
      const direct = new Client({ name: "direct", version: "1.0.0" });
      await direct.connect(
        new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, "stdio"] }),
      );
      const client = await connectClient(proxy.mcpUrl!, licenseKey);
      try {
        const [viaProxy, upstream] = await Promise.all([client.listTools(), direct.listTools()]);
        expect(viaProxy.tools.map((t) => t.name)).toEqual(upstream.tools.map((t) => t.name));
        const echo = viaProxy.tools.find((t) => t.name === "echo")!;
        expect(echo._meta?.[PRICE_META_KEY]).toEqual({ free: true });
        const sum = viaProxy.tools.find((t) => t.name === "get-sum")!;
        expect(sum._meta?.[PRICE_META_KEY]).toEqual({
          free: false,
          productId: polar.seed.creditsProductId,
          units: { argument: "a", min: 1 },
        });
        expect(sum.description).toContain("Paid: one credit per unit of `a`.");
        const other = viaProxy.tools.find((t) => t.name === "get-env")!;
        expect(other.description).toContain("Paid: 1 credit per call.");
        expect(sum.inputSchema).toEqual(
          upstream.tools.find((t) => t.name === "get-sum")!.inputSchema,
        );

        expect((await client.listPrompts()).prompts).toEqual((await direct.listPrompts()).prompts);
        expect((await client.listResources()).resources).toEqual(
          (await direct.listResources()).resources,
        );
        const first = (await direct.listResources()).resources[0]!;
        expect(await client.readResource({ uri: first.uri })).toEqual(
          await direct.readResource({ uri: first.uri }),
        );
        const prompt = await client.getPrompt({ name: "simple-prompt" });
        expect(prompt.messages.length).toBeGreaterThan(0);
      } finally {
        await client.close();
        await direct.close();
      }
    });

    it("serves free tools without a key and charges paid ones from the argument, on success only", async () => {
      const anonymous = await connectClient(proxy.mcpUrl!, undefined);
      try {
        const echoed = (await anonymous.callTool({
          name: "echo",
          arguments: { message: "hi" },
        })) as CallToolResult;
        expect(text(echoed)).toContain("hi");
        const refused = (await anonymous.callTool({
          name: "get-sum",
          arguments: { a: 2, b: 3 },
        })) as CallToolResult;
        expect(refused.isError).toBe(true);
        expect(refused.structuredContent).toMatchObject({ code: "license_key_missing" });
      } finally {
        await anonymous.close();
      }
      const { customerId, licenseKey } = await polar.customer(0);
      const client = await connectClient(proxy.mcpUrl!, licenseKey);
      try {
        const sum = (await client.callTool({
          name: "get-sum",
          arguments: { a: 7, b: 5 },
        })) as CallToolResult;
        expect(text(sum)).toContain("12");
        await proxy.polar.flush(10_000);
        expect(proxy.polar.pendingEvents()).toBe(0);
        const events = await polar.eventsOf(customerId);
        expect(events.map((e) => e.metadata)).toEqual([
          expect.objectContaining({ tool_name: "get-sum", units: 7 }),
        ]);
      } finally {
        await client.close();
      }
    });

    it("a client without URL elicitation gets the structured error the JSON schema describes", async () => {
      const { customerId, licenseKey } = await polar.customer(100);
      const client = await connectClient(proxy.mcpUrl!, licenseKey);
      try {
        const denied = (await client.callTool({
          name: "get-env",
          arguments: {},
        })) as CallToolResult;
        expect(denied.isError).toBe(true);
        expect(denied.structuredContent).toMatchObject({
          code: "meter_credit_exhausted",
          balance: 0,
          checkoutUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
        });
        const validate = addFormats(new Ajv2020({ strict: true })).compile(DENIAL_JSON_SCHEMA);
        expect(validate(denied.structuredContent), JSON.stringify(validate.errors)).toBe(true);
        expect(proxy.waits.size).toBe(0);
        await proxy.polar.flush(10_000);
        expect(await polar.eventsOf(customerId)).toHaveLength(100);
      } finally {
        await client.close();
      }
    });

    it("URL elicitation: credits exhausted → -32042 with the customer's checkout → paid in Chromium → completion → the retry succeeds", async () => {
      const { customerId, licenseKey } = await polar.customer(99);
      const completions: string[] = [];
      const client = await connectClient(proxy.mcpUrl!, licenseKey, { elicitation: { url: {} } });
      client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => {
        completions.push(n.params.elicitationId);
      });
      const browser = await launchBrowser();
      try {
        const last = (await client.callTool({ name: "get-env", arguments: {} })) as CallToolResult;
        expect(last.isError).toBeFalsy();
        const error = await client.callTool({ name: "get-env", arguments: {} }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(McpError);
        const mcpError = error as McpError;
        expect(mcpError.code).toBe(ErrorCode.UrlElicitationRequired);
        const data = mcpError.data as {
          elicitations: { mode: string; elicitationId: string; url: string; message: string }[];
        };
        expect(data.elicitations).toHaveLength(1);
        const elicitation = data.elicitations[0]!;
        expect(elicitation).toMatchObject({
          mode: "url",
          url: expect.stringMatching(/^http:\/\//),
        });
        expect(elicitation.message).toMatch(/credits/i);
        expect(completions).toEqual([]);
        // The checkout is bound to this customer: paying it credits their account.
        const theirs = await polar.api<{ items: { url: string }[] }>(
          "GET",
          `/v1/checkouts/?customer_id=${customerId}&limit=100`,
        );
        expect(theirs.items.map((c) => c.url)).toContain(elicitation.url);

        await payInBrowser(browser.context, elicitation.url);
        await expect
          .poll(() => completions, { timeout: 20_000 })
          .toEqual([elicitation.elicitationId]);
        const retried = (await client.callTool({
          name: "get-env",
          arguments: {},
        })) as CallToolResult;
        expect(retried.isError).toBeFalsy();
        expect(proxy.waits.size).toBe(0);
      } finally {
        await browser.close();
        await client.close();
      }
    });
  },
);
