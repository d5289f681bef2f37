// The paywall's subpath entries (@polar-mcp/paywall/proxy, /mcp-sdk, /mcp-server, /demo) called
// as an integrator imports them. Most rows check helpers (prices, capabilities, the payment
// loop's bookkeeping) and say so; the denials come from the provider against the emulator.
import { startEmulator, type DemoSeed, type RunningEmulator } from "@polar-mcp/emulator";
import { denialResult, PolarProvider, type ValidateLicenseKeyResult } from "@polar-mcp/paywall";
import { clientConfigs } from "@polar-mcp/paywall/demo";
import {
  completingWebhooks,
  denialResult as denialResultSdk,
  elicitPurchase,
} from "@polar-mcp/paywall/mcp-sdk";
import { denialResult as denialResultServer } from "@polar-mcp/paywall/mcp-server";
import {
  completingWebhooks as completingWebhooksProxy,
  describePrice,
  parseProxyConfig,
  priceOf,
  purchaseElicitation,
  PurchaseWaits,
  supportsUrlElicitation,
} from "@polar-mcp/paywall/proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let running: RunningEmulator;
let seed: DemoSeed;
let polar: PolarProvider;
/** A real refusal: a key Polar never issued (a purchase fixes it, so it carries a checkout). */
let refused: ValidateLicenseKeyResult;

beforeAll(async () => {
  running = await startEmulator({ db: ":memory:", seed: "demo" });
  seed = running.seed as DemoSeed;
  polar = PolarProvider.getInstance({
    token: seed.accessToken,
    organizationId: seed.organizationId,
    productId: seed.productId,
    baseUrl: running.url,
    outbox: ":memory:",
  });
  refused = await polar.validateLicenseKey("DEMO-NEVER-ISSUED", { name: "tool_call" });
  expect(refused.valid).toBe(false);
  expect(refused.checkoutUrl).toMatch(/^http/);
});
afterAll(async () => {
  await polar.close();
  await running.close();
});

describe("@polar-mcp/paywall/proxy: prices (helper check)", () => {
  it("priceOf reads free tools, listed prices and the default; describePrice words each kind", () => {
    const config = parseProxyConfig({
      upstream: { url: "http://127.0.0.1:9/mcp" },
      polar: { productId: "p", organizationId: "o" },
      tools: { search: 3, render: { argument: "pages" }, analyse: { result: "usage.units" } },
      free: ["echo"],
      defaultPrice: 2,
    });
    expect(priceOf(config, "echo")).toBe("free");
    expect(priceOf(config, "search")).toBe(3);
    expect(priceOf(config, "unlisted")).toBe(2);
    expect(describePrice(priceOf(config, "echo"))).toBe("Free.");
    expect(describePrice(priceOf(config, "search"))).toBe("Paid: 3 credits per call.");
    expect(describePrice(1)).toBe("Paid: 1 credit per call.");
    expect(describePrice(priceOf(config, "render"))).toBe("Paid: one credit per unit of `pages`.");
    expect(describePrice(priceOf(config, "analyse"))).toBe("Paid: credits as the result reports.");
    const noDefault = parseProxyConfig({
      upstream: { command: "node" },
      polar: { productId: "p", organizationId: "o" },
    });
    expect(priceOf(noDefault, "anything")).toBe(1);
  });

  it("parseProxyConfig refuses a bad price naming the field to fix", () => {
    expect(() =>
      parseProxyConfig({
        upstream: { url: "http://127.0.0.1:9/mcp" },
        polar: { productId: "p", organizationId: "o" },
        tools: { search: -1 },
      }),
    ).toThrow(/`tools\.search` must be a finite number ≥ 0/);
  });
});

describe("the payment loop's pieces through their entries", () => {
  it("supportsUrlElicitation is true only for a client declaring elicitation.url (helper check)", () => {
    expect(supportsUrlElicitation({ elicitation: { url: {} } })).toBe(true);
    expect(supportsUrlElicitation({ elicitation: { form: {} } })).toBe(false);
    expect(supportsUrlElicitation({ elicitation: {} })).toBe(false);
    expect(supportsUrlElicitation(undefined)).toBe(false);
  });

  it("purchaseElicitation turns the provider's refusal into a URL elicitation of its checkout", () => {
    const elicitation = purchaseElicitation(refused);
    expect(elicitation).toMatchObject({ mode: "url", url: refused.checkoutUrl });
    expect(elicitation?.message.startsWith(refused.message)).toBe(true);
    expect(elicitation?.elicitationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("elicitPurchase (mcp-sdk) elicits only for a client declaring URL elicitation", () => {
    const waits = new PurchaseWaits();
    const edge = {
      waits,
      ready: async () => false,
      completionNotifier: () => async () => {},
    };
    expect(elicitPurchase(refused, { ...edge, clientCapabilities: {} })).toBeUndefined();
    const elicited = elicitPurchase(refused, {
      ...edge,
      clientCapabilities: { elicitation: { url: {} } },
    });
    expect(elicited?.elicitation.url).toBe(refused.checkoutUrl);
  });

  it("completingWebhooks completes a waiting elicitation once, after a verified change of its customer makes the call pass", async () => {
    for (const entry of ["mcp-sdk", "proxy"] as const) {
      const waits = new PurchaseWaits();
      const completed: string[] = [];
      let paid = false;
      waits.add("elicitation-1", {
        customerId: "customer-1",
        ready: async () => paid,
        complete: async () => {
          completed.push("elicitation-1");
        },
      });
      let status = 202;
      const handler = async () =>
        new Response(JSON.stringify({ invalidated: "customer-1" }), {
          status,
          headers: { "content-type": "application/json" },
        });
      const onWebhook =
        entry === "mcp-sdk"
          ? completingWebhooks(handler, waits)
          : completingWebhooksProxy(handler, waits);
      const deliver = () => onWebhook(new Request("http://local/webhook", { method: "POST" }));
      await deliver(); // not paid yet
      expect(completed).toEqual([]);
      paid = true;
      status = 403; // a refused (unverified) delivery changes nothing
      await deliver();
      expect(completed).toEqual([]);
      status = 202;
      expect((await deliver()).status).toBe(202);
      expect(completed).toEqual(["elicitation-1"]);
      await deliver();
      expect(completed).toEqual(["elicitation-1"]);
      expect(waits.size).toBe(0);
    }
  });

  it("denialResult is the same MCP error result from the main, mcp-sdk and mcp-server entries", () => {
    const expected = denialResult(refused);
    expect(expected.structuredContent.checkoutUrl).toBe(refused.checkoutUrl);
    expect(denialResultSdk(refused)).toEqual(expected);
    expect(denialResultServer(refused)).toEqual(expected);
  });
});

describe("@polar-mcp/paywall/demo: clientConfigs", () => {
  it("prints configs naming the URL and the license key: Cursor's url + header, mcp-remote's --header", () => {
    const url = "http://127.0.0.1:4321/mcp";
    const text = clientConfigs(url, "DEMO-KEY-123");
    const cursor = JSON.parse(text.slice(text.indexOf("{"), text.indexOf("\n}") + 2)) as {
      mcpServers: Record<string, { url: string; headers: Record<string, string> }>;
    };
    expect(Object.values(cursor.mcpServers)[0]).toEqual({
      url,
      headers: { "license-key": "DEMO-KEY-123" },
    });
    expect(text).toContain('"license-key:DEMO-KEY-123"');
  });
});
