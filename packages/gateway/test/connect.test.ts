// Connect with Polar: the admin API returns a connect URL; the end user approves on Polar's
// consent screen (the emulator's, in headless Chromium); the gateway exchanges the code and
// creates the account with the user's token, refreshed before it expires.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminClient, startGateway, type RunningGateway } from "../src/index.js";
import { runCli } from "./helpers/cli.js";
import { ADMIN_KEY, ENCRYPTION_KEY, callToolOn, manualClock, type Json } from "./helpers/world.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe("Connect with Polar", () => {
  const profile = mkdtempSync(join(tmpdir(), "polar-gateway-chromium-"));
  const clock = manualClock(Date.now());
  let emulator: RunningEmulator;
  let running: RunningGateway;
  let browser: BrowserContext;
  const tokenCalls: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ db: ":memory:", seed: "demo" });
    const port = await freePort();
    const registered = await fetch(`${emulator.url}/v1/oauth2/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: "Polar MCP gateway",
        redirect_uris: [`http://127.0.0.1:${port}/connect/callback`],
        scope: "customers:read customers:write members:read members:write products:read",
        grant_types: ["authorization_code", "refresh_token"],
      }),
    });
    expect(registered.status).toBe(201);
    const client = (await registered.json()) as { client_id: string; client_secret: string };
    running = await startGateway({
      port,
      db: ":memory:",
      adminKey: ADMIN_KEY,
      encryptionKey: ENCRYPTION_KEY,
      oauthClient: { clientId: client.client_id, clientSecret: client.client_secret },
      now: clock.now,
      fetch: async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (url.endsWith("/v1/oauth2/token")) tokenCalls.push(String(init?.body ?? ""));
        return fetch(input, init);
      },
      env: {},
    });
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await emulator?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it("creates the account from the user's consent, serves tools with the user's token, and refreshes it before expiry", async () => {
    const admin = createAdminClient({ url: running.url, adminKey: ADMIN_KEY });
    const started = await admin.connectAccount({
      name: "Connected shop",
      base_url: emulator.url,
      config: { tags: ["customers"], read_only: true },
    });
    const scopes = started.scopes as string[];
    expect(scopes).toContain("customers:read");
    expect(scopes.every((s) => s.endsWith(":read"))).toBe(true);
    const connectUrl = new URL(String(started.connect_url));
    expect(connectUrl.origin).toBe(emulator.url);
    expect(connectUrl.searchParams.get("code_challenge_method")).toBe("S256");

    const page = await browser.newPage();
    try {
      await page.goto(connectUrl.toString());
      await expect(page.textContent("#scopes")).resolves.toContain("customers:read");
      await Promise.all([
        page.waitForURL((url) => url.toString().startsWith(`${running.url}/connect/callback`)),
        page.click("#allow"),
      ]);
      await expect(page.textContent("#connected")).resolves.toContain(
        "Connected shop is connected",
      );
    } finally {
      await page.close();
    }

    const accounts = await admin.listAccounts();
    const account = accounts.find((a) => a.id === started.account_id)!;
    expect(account).toMatchObject({ name: "Connected shop", connection: "oauth2" });
    const server = await admin.createServer(String(account.id), {
      name: "Claude",
      config: { tags: ["customers"], read_only: true },
    });
    const first = await callToolOn((r) => fetch(r), String(server.url), "customers_list", {
      limit: 1,
    });
    expect(first.result?.isError).toBeFalsy();
    expect((first.result?.structuredContent as Json).items).toHaveLength(1);
    expect(tokenCalls.map((b) => new URLSearchParams(b).get("grant_type"))).toEqual([
      "authorization_code",
    ]);

    // Past the token's expiry (less the refresh margin), the next call refreshes first.
    clock.advance(864_000_000 + 60 * 60 * 1000); // Polar issues them for 10 days
    const second = await callToolOn((r) => fetch(r), String(server.url), "customers_list", {
      limit: 1,
    });
    expect(second.result?.isError).toBeFalsy();
    expect(tokenCalls.map((b) => new URLSearchParams(b).get("grant_type"))).toEqual([
      "authorization_code",
      "refresh_token",
    ]);
  });

  it("refuses a forged callback; `polar-mcp gateway accounts connect` prints the account id and connect URL", async () => {
    const forged = await fetch(`${running.url}/connect/callback?code=x&state=v2.nope.a.b.c`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("was not made by this gateway");
    const off = await runCli(
      [
        "gateway",
        "accounts",
        "connect",
        "--name",
        "X",
        "--base-url",
        emulator.url,
        "--url",
        running.url,
      ],
      { POLAR_MCP_ADMIN_KEY: ADMIN_KEY },
    );
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toContain(emulator.url);
    expect(off.stdout).toMatch(/acc_[A-Za-z0-9_-]+/);
  });
});
