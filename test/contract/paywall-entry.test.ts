// The paywall's exported helpers called through its public entry (@polar-mcp/paywall), as an
// integrator calls them, against the emulator and over a real socket: reconcile (the work of
// `polar-mcp paywall reconcile`), denialResult (an MCP error result from a refusal) and
// toNodeHandler (a web-standard webhook handler mounted on node:http).
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type DemoSeed, type RunningEmulator } from "@polar-mcp/emulator";
import { denialResult, PolarProvider, reconcile, toNodeHandler } from "@polar-mcp/paywall";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let running: RunningEmulator;
let seed: DemoSeed;
let dir: string;

beforeAll(async () => {
  running = await startEmulator({ db: ":memory:", seed: "demo", instantBalances: true });
  seed = running.seed as DemoSeed;
  dir = mkdtempSync(join(tmpdir(), "paywall-entry-"));
});
afterAll(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

function provider(outbox: string) {
  return PolarProvider.getInstance({
    token: seed.accessToken,
    organizationId: seed.organizationId,
    productId: seed.productId,
    baseUrl: running.url,
    outbox,
    batch: { intervalMs: 3_600_000 },
  });
}

describe("reconcile through @polar-mcp/paywall", () => {
  it("reports Polar's meter, the live events and the outbox's unsent units for the demo customer, and nothing for a customer filter that matches none", async () => {
    const outbox = join(dir, "reconcile.sqlite");
    const polar = provider(outbox);
    try {
      for (let i = 0; i < 4; i++)
        await polar.validateLicenseKey(seed.licenseKey, { name: "tool_call" });
      await polar.flush();
      expect(polar.pendingEvents()).toBe(0);
      for (let i = 0; i < 2; i++)
        await polar.validateLicenseKey(seed.licenseKey, { name: "tool_call" });
      const options = {
        token: seed.accessToken,
        organizationId: seed.organizationId,
        productId: seed.productId,
        baseUrl: running.url,
        outbox,
      };
      const rows = await reconcile(options);
      expect(rows).toEqual([
        expect.objectContaining({
          customerId: seed.customerId,
          polarConsumed: 4,
          liveConsumed: 4,
          outboxPending: 2,
          meterLag: 0,
          credited: 100,
          available: 94,
        }),
      ]);
      expect(await reconcile({ ...options, customerIds: ["no-such-customer"] })).toEqual([]);
    } finally {
      await polar.close();
    }
  });
});

describe("denialResult through @polar-mcp/paywall", () => {
  it("turns a refused key into an MCP error result carrying the provider's code, message and checkout link", async () => {
    const polar = provider(join(dir, "denial.sqlite"));
    try {
      const refused = await polar.validateLicenseKey("DEMO-NOT-A-REAL-KEY", { name: "tool_call" });
      expect(refused.valid).toBe(false);
      const result = denialResult(refused);
      expect(result.isError).toBe(true);
      expect(result.content).toEqual([{ type: "text", text: refused.message }]);
      expect(result.structuredContent).toEqual({
        code: refused.code,
        message: refused.message,
        ...(refused.checkoutUrl ? { checkoutUrl: refused.checkoutUrl } : {}),
        ...(refused.balance !== undefined ? { balance: refused.balance } : {}),
      });
      expect(result.structuredContent.code).not.toBe("");
    } finally {
      await polar.close();
    }
  });
});

describe("toNodeHandler through @polar-mcp/paywall", () => {
  let server: Server;
  let url: string;
  const seen: { method: string; path: string; signature: string | null; body: string }[] = [];

  beforeAll(async () => {
    server = createServer(
      toNodeHandler(async (request) => {
        const body = await request.text();
        seen.push({
          method: request.method,
          path: new URL(request.url).pathname + new URL(request.url).search,
          signature: request.headers.get("webhook-signature"),
          body,
        });
        return new Response(JSON.stringify({ received: body.length }), {
          status: 202,
          headers: { "content-type": "application/json", "x-handled-by": "web-handler" },
        });
      }),
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("hands the web handler the node request's method, path, headers and exact body, and writes back its status, headers and body", async () => {
    const payload = JSON.stringify({ type: "customer.state_changed", data: { id: "c1" } });
    const response = await fetch(`${url}/webhooks/polar?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", "webhook-signature": "v1,abc" },
      body: payload,
    });
    expect(response.status).toBe(202);
    expect(response.headers.get("x-handled-by")).toBe("web-handler");
    expect(await response.json()).toEqual({ received: Buffer.byteLength(payload) });
    expect(seen.at(-1)).toEqual({
      method: "POST",
      path: "/webhooks/polar?x=1",
      signature: "v1,abc",
      body: payload,
    });
  });

  it("mounts the provider's webhook handler: an unsigned delivery is refused with a 4xx, not a crash", async () => {
    const polar = provider(join(dir, "webhook.sqlite"));
    const webhookServer = createServer(
      toNodeHandler(polar.webhookHandler({ secret: "whsec_test_secret" })),
    );
    webhookServer.listen(0, "127.0.0.1");
    await once(webhookServer, "listening");
    try {
      const port = (webhookServer.address() as AddressInfo).port;
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "customer.state_changed", data: {} }),
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(await response.text()).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise<void>((resolve) => webhookServer.close(() => resolve()));
      await polar.close();
    }
  });
});
