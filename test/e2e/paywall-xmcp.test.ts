// The seed's own framework, for real: an xmcp 1.1.3 app built with xmcp's compiler (rspack),
// @polar-mcp/paywall installed from its packed tarball, the seed's greet tool with only its
// import changed — called by the official MCP client over HTTP, billed on the emulator.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort } from "./fixtures/processes.js";
import { APP, buildApp, ROOT, startApp, type RunningApp } from "./fixtures/xmcp-app.js";

const run = promisify(execFile);
let emulator: RunningEmulator;
let seed: NonNullable<RunningEmulator["seed"]>;
let port: number;
let appFilesBefore: string[];

beforeAll(async () => {
  emulator = await startEmulator({ db: ":memory:", seed: "demo" });
  seed = emulator.seed!;
  port = await freePort();
  await buildApp(port);
  appFilesBefore = readdirSync(APP).sort();
}, 600_000);
afterAll(() => emulator?.close());

const env = (stateHome: string) => ({
  POLAR_TOKEN: seed.accessToken,
  POLAR_ORGANIZATION_ID: seed.organizationId,
  POLAR_PRODUCT_ID: seed.productId,
  POLAR_BASE_URL: emulator.url,
  XDG_STATE_HOME: stateHome,
});

async function events(): Promise<number> {
  const res = await fetch(
    `${emulator.url}/v1/events/?customer_id=${seed.customerId}&name=tool_call&limit=1`,
    { headers: { authorization: `Bearer ${seed.accessToken}` } },
  );
  return ((await res.json()) as { pagination: { total_count: number } }).pagination.total_count;
}

/** The app ships in its own time: wait until Polar holds `count` events. */
async function eventually(count: number): Promise<void> {
  await vi.waitFor(async () => expect(await events()).toBe(count), {
    timeout: 20_000,
    interval: 100,
  });
}

async function client(headers: Record<string, string>): Promise<Client> {
  const c = new Client({ name: "test", version: "1.0.0" });
  await c.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
      requestInit: { headers },
    }),
  );
  return c;
}

const text = (r: CallToolResult) =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("");

describe("a real xmcp 1.1.3 app", () => {
  it("runs the seed's greet tool with only its import changed: served, billed, denied with a checkout link that opens", async () => {
    const stateHome = mkdtempSync(join(tmpdir(), "paywall-xmcp-state-"));
    const app: RunningApp = await startApp(join(APP, "dist/http.js"), APP, env(stateHome));
    const paying = await client({ "license-key": seed.licenseKey });
    const anonymous = await client({});
    try {
      const before = await events();
      const ok = (await paying.callTool({
        name: "greet",
        arguments: { name: "Xmcp" },
      })) as CallToolResult;
      expect(text(ok)).toBe("Hello, Xmcp!");
      await eventually(before + 1);

      const denied = (await anonymous.callTool({
        name: "greet",
        arguments: { name: "Xmcp" },
      })) as CallToolResult;
      expect(text(denied)).toMatch(/license key is required/);
      const url = /(https?:\/\/\S+)/.exec(text(denied))?.[1];
      expect(url).toBeDefined();
      expect((await fetch(url!)).ok).toBe(true);

      // The paywall's own xmcp adapter, in the same app.
      const adapted = (await paying.callTool({
        name: "paid-greet",
        arguments: { name: "Ada" },
      })) as CallToolResult;
      expect(adapted.isError).toBeFalsy();
      expect(text(adapted)).toBe("Hello, Ada!");
      await eventually(before + 2);
      const adaptedDenial = (await anonymous.callTool({
        name: "paid-greet",
        arguments: { name: "Ada" },
      })) as CallToolResult;
      expect(adaptedDenial.isError).toBe(true);
      expect(adaptedDenial.structuredContent).toMatchObject({
        code: "license_key_missing",
        checkoutUrl: expect.stringMatching(/^https?:\/\//),
      });

      // better-sqlite3 was found at run time (outside the bundle): the durable outbox, in the
      // state directory — and no file in the app's working directory.
      const outboxes = readdirSync(join(stateHome, "polar-paywall"));
      expect(outboxes.some((f) => /^outbox-[0-9a-f]+\.sqlite$/.test(f))).toBe(true);
      expect(readdirSync(APP).sort()).toEqual(appFilesBefore);
      expect(app.stderr()).not.toContain("PolarPaywallWarning");
    } finally {
      await Promise.all([paying.close(), anonymous.close()]);
      await app.stop();
    }
  });

  it("bundled and moved where better-sqlite3 cannot be found: one warning, usage still shipped from memory", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "paywall-xmcp-moved-"));
    // An ESM build writes a package.json beside the bundle; xmcp's template builds CommonJS.
    const moved = readdirSync(join(APP, "dist")).filter(
      (f) => f === "http.js" || f === "package.json",
    );
    for (const file of moved) copyFileSync(join(APP, "dist", file), join(elsewhere, file));
    const stateHome = mkdtempSync(join(tmpdir(), "paywall-xmcp-state-"));
    const app = await startApp(join(elsewhere, "http.js"), elsewhere, env(stateHome));
    const paying = await client({ "license-key": seed.licenseKey });
    try {
      const before = await events();
      for (let i = 0; i < 3; i++) {
        const ok = (await paying.callTool({
          name: "greet",
          arguments: { name: "Moved" },
        })) as CallToolResult;
        expect(text(ok)).toBe("Hello, Moved!");
      }
      await eventually(before + 3);
      expect(app.stderr().match(/PolarPaywallWarning/g)).toHaveLength(1);
      expect(app.stderr()).toContain("better-sqlite3 is not installed");
      expect(existsSync(join(stateHome, "polar-paywall"))).toBe(false);
      expect(readdirSync(elsewhere).sort()).toEqual(moved.sort());
    } finally {
      await paying.close();
      await app.stop();
    }
  });

  it(
    "type-checks under xmcp's template tsconfig (module commonjs: node10 resolution)",
    { timeout: 180_000 },
    async () => {
      const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
      await expect(
        run(process.execPath, [tsc, "-p", join(APP, "tsconfig.json"), "--noEmit"], { cwd: APP }),
      ).resolves.toBeDefined();
    },
  );
});
