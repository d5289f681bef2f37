// "Sign in with Polar" end to end: polar-mcp serve over Streamable HTTP as an OAuth 2.1
// resource server, the emulator as Polar's authorization server, the MCP SDK's OAuth client
// (what Claude Code runs for `claude mcp add --transport http`) doing discovery (RFC 9728),
// dynamic client registration and PKCE, and the consent clicked in headless Chromium.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { auth, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { chromium, type BrowserContext } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servePolarMcp, type ServedPolarMcp } from "../src/index.js";
import { SPEC_PATH } from "./helpers.js";

const run = promisify(execFile);
let emulator: RunningEmulator;
let served: ServedPolarMcp;
let receiver: Server;
let redirectUrl: string;
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  emulator = await startEmulator({ seed: "demo", db: ":memory:" });
  served = await servePolarMcp({
    transport: "http",
    port: 0,
    spec: SPEC_PATH,
    baseUrl: emulator.url,
    signInWithPolar: true,
    env: {},
  });
  receiver = createServer((_req, res) => res.end("signed in")).listen(0, "127.0.0.1");
  await new Promise((resolve) => receiver.once("listening", resolve));
  redirectUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`;
  profile = mkdtempSync(join(tmpdir(), "polar-mcp-sign-in-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
  await new Promise((resolve) => receiver?.close(resolve));
  await served?.close();
  await emulator?.close();
});

/** What the MCP SDK's OAuth client keeps between the redirect and the callback. */
function memoryProvider(scope: string) {
  const state: {
    client?: OAuthClientInformationMixed;
    tokens?: OAuthTokens;
    verifier?: string;
    authorizationUrl?: URL;
  } = {};
  const provider: OAuthClientProvider = {
    get redirectUrl() {
      return redirectUrl;
    },
    get clientMetadata() {
      return {
        client_name: "polar-mcp sign-in test",
        redirect_uris: [redirectUrl],
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        scope,
      };
    },
    clientInformation: () => state.client,
    saveClientInformation: (client) => void (state.client = client),
    tokens: () => state.tokens,
    saveTokens: (tokens) => void (state.tokens = tokens),
    redirectToAuthorization: (url) => void (state.authorizationUrl = url),
    saveCodeVerifier: (verifier) => void (state.verifier = verifier),
    codeVerifier: () => state.verifier ?? "",
  };
  return { provider, state };
}

const post = (token?: string) =>
  fetch(served.url as string, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
  });

describe("Sign in with Polar (MCP authorization, Polar as the authorization server)", () => {
  it("answers 401 with a WWW-Authenticate challenge naming its RFC 9728 metadata, which names Polar", async () => {
    const response = await post();
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(
      new URL("/.well-known/oauth-protected-resource/mcp", served.url).toString(),
    );
    const metadata = (await (await fetch(metadataUrl as string)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      resource: served.url,
      authorization_servers: [expect.stringContaining(new URL(emulator.url).host)],
    });
  });

  it("refuses a token Polar does not accept, with invalid_token, before any tool runs", async () => {
    const response = await post("polar_at_u_forged");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
  });

  it("discovers, registers, consents in Chromium with PKCE, and the tools act with the user's token", async () => {
    const { provider, state } = memoryProvider(
      "openid email customers:read products:read organizations:read",
    );
    expect(await auth(provider, { serverUrl: served.url as string })).toBe("REDIRECT");
    const authorizationUrl = state.authorizationUrl as URL;
    expect(authorizationUrl.origin).toBe(new URL(emulator.url).origin);
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(String((state.client as { client_id: string }).client_id)).toMatch(/^polar_ci_/);

    const page = await browser.newPage();
    await page.goto(authorizationUrl.toString());
    await Promise.all([
      page.waitForURL((url) => url.toString().startsWith(redirectUrl)),
      page.click("#allow"),
    ]);
    const code = new URL(page.url()).searchParams.get("code") as string;
    await page.close();
    expect(await auth(provider, { serverUrl: served.url as string, authorizationCode: code })).toBe(
      "AUTHORIZED",
    );
    const token = state.tokens?.access_token as string;
    expect(token).toMatch(/^polar_at_u_/);

    expect((await post(token)).status).toBe(200);
    // The official client over Streamable HTTP with the user's token: tools list and a call
    // that reaches the emulator with that token (the demo organization's customers).
    const script = fileURLToPath(new URL("./fixtures/http-client.ts", import.meta.url));
    const { stdout } = await run(process.execPath, [
      "--import",
      "tsx",
      script,
      served.url as string,
      token,
    ]);
    const seen = JSON.parse(stdout) as {
      tools: number;
      isError: boolean;
      structured: { items: unknown[] };
    };
    expect(seen.tools).toBeGreaterThan(3);
    expect(seen.isError).toBe(false);
    expect(seen.structured.items.length).toBeGreaterThan(0);
  }, 90_000);
});
