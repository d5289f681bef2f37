import type { IncomingMessage, ServerResponse } from "node:http";
import { hostMcpOverHttp, type HostedMcp } from "../adapters/mcp-sdk/http-host.js";
import { toNodeHandler } from "../webhooks/node-handler.js";
import { PolarProvider } from "../provider/polar-provider.js";
import { clientConfigs } from "./client-configs.js";
import { registerDemoWebhook } from "./demo-webhooks.js";
import { createPaidExampleServer } from "./paid-example.js";

export interface DemoOptions {
  /** Port of the paid MCP server (0 = any free port). Default 3001. */
  port?: number;
  host?: string;
  /** The emulator's SQLite file (default `:memory:`); a file keeps the demo key across restarts. */
  db?: string;
  /** Polar's OpenAPI document for the emulator: a file or URL (default: see `@polar-mcp/openapi`). */
  spec?: string;
}

export interface DemoSeedView {
  organizationId: string;
  accessToken: string;
  productId: string;
  /** The one-time credits pack (same key and credit benefits), bought again for more credits. */
  creditsProductId?: string;
  licenseKey: string;
  credits?: number;
}

export interface RunningDemo {
  emulatorUrl: string;
  serverUrl: string;
  seed: DemoSeedView;
  polar: PolarProvider;
  /** What to print: URLs, the demo license key, client configs. */
  instructions: string;
  close(): Promise<void>;
}

interface StartedEmulator {
  url: string;
  seed: unknown;
  close(): Promise<void>;
}

/**
 * Starts the local Polar emulator (demo seed) and the paid example MCP server against it.
 * Everything runs in this process; nothing leaves the machine.
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const { startEmulator } = (await import("@polar-mcp/emulator")) as {
    startEmulator(options: { db: string; seed: "demo"; spec?: string }): Promise<StartedEmulator>;
  };
  const emulator = await startEmulator({
    db: options.db ?? ":memory:",
    seed: "demo",
    ...(options.spec ? { spec: options.spec } : {}),
  });
  const seed = emulator.seed as DemoSeedView;
  const polar = PolarProvider.getInstance({
    token: seed.accessToken,
    organizationId: seed.organizationId,
    // The paywall sells the one-time credits pack: its denial links to a checkout the
    // subscribed customer can pay (a second subscription is refused, as Polar by default).
    productId: seed.creditsProductId ?? seed.productId,
    baseUrl: emulator.url,
    // The demo's Polar lives in memory: so does its outbox (nothing to resend after it).
    outbox: ":memory:",
  });
  // Polar's webhooks tell the paywall at once when a purchase adds credits or a revocation
  // takes them away; the route is live before the endpoint (and its secret) exists.
  let onWebhook: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  let hosted: HostedMcp;
  try {
    hosted = await hostMcpOverHttp(() => createPaidExampleServer(polar), {
      port: options.port ?? 3001,
      ...(options.host ? { host: options.host } : {}),
      routes: {
        "/webhooks/polar": async (req, res) => {
          if (onWebhook) return onWebhook(req, res);
          res.writeHead(503).end();
        },
      },
    });
    const secret = await registerDemoWebhook(
      emulator.url,
      seed.accessToken,
      hosted.url.replace(/\/mcp$/, "/webhooks/polar"),
    );
    onWebhook = toNodeHandler(polar.webhookHandler({ secret }));
  } catch (error) {
    await polar.close();
    await emulator.close();
    throw error;
  }
  const instructions = [
    `Polar emulator:   ${emulator.url}`,
    `Paid MCP server:  ${hosted.url}  (tool "fortune" costs 1 credit; "ping" is free)`,
    `Demo license key: ${seed.licenseKey}${seed.credits !== undefined ? `  (${seed.credits} credits)` : ""}`,
    "",
    clientConfigs(hosted.url, seed.licenseKey),
    "",
    "Press Ctrl+C to stop.",
  ].join("\n");
  return {
    emulatorUrl: emulator.url,
    serverUrl: hosted.url,
    seed,
    polar,
    instructions,
    close: async () => {
      await hosted.close();
      await polar.close();
      await emulator.close();
    },
  };
}
