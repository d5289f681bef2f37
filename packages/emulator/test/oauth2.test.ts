import {
  discoverAuthorizationServerMetadata,
  exchangeAuthorization,
  refreshAuthorization,
  registerClient,
  startAuthorization,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { createPolar } from "@polar-sh/sdk/2026-10";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { launchBrowser } from "./commerce/browser.js";

let running: RunningEmulator;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let receiver: Server;
/** The client's redirect target: a real local page that just says "signed in". */
let redirectUrl: string;

beforeAll(async () => {
  running = await startEmulator({ seed: "demo", db: ":memory:" });
  receiver = createServer((_req, res) => res.end("signed in")).listen(0, "127.0.0.1");
  await new Promise((resolve) => receiver.once("listening", resolve));
  redirectUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await running?.close();
});

const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });

/** Opens the authorization URL in Chromium, clicks `button`, returns where it landed. */
async function clickThrough(
  authorizationUrl: URL,
  button: "#allow" | "#deny",
  before?: (page: Page) => Promise<void>,
) {
  const page = await browser.context.newPage();
  try {
    await page.goto(authorizationUrl.toString());
    await before?.(page);
    await Promise.all([
      page.waitForURL((url) => url.toString().startsWith(redirectUrl)),
      page.click(button),
    ]);
    return new URL(page.url());
  } finally {
    await page.close();
  }
}

async function setUp(scope: string) {
  const metadata = await discoverAuthorizationServerMetadata(running.url);
  if (!metadata) throw new Error("no authorization server metadata");
  const clientInformation = await registerClient(running.url, {
    metadata,
    clientMetadata: {
      client_name: "MCP test client",
      redirect_uris: [redirectUrl],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope,
    },
  });
  return { metadata, clientInformation };
}

describe("OAuth2 as Polar runs it, driven by the MCP SDK's OAuth client and a real browser", () => {
  it("discovers, registers a public client, consents in Chromium, exchanges with PKCE S256, and the token works on /v1 with its scopes", async () => {
    const { metadata, clientInformation } = await setUp(
      "openid email products:read organizations:read",
    );
    expect(metadata.issuer).toBe(running.url);
    expect(metadata.code_challenge_methods_supported).toContain("S256");
    expect(clientInformation.client_id).toMatch(/^polar_ci_/);
    expect("client_secret" in clientInformation).toBe(false);

    const { authorizationUrl, codeVerifier } = await startAuthorization(running.url, {
      metadata,
      clientInformation,
      redirectUrl,
      scope: "openid email products:read organizations:read",
      state: "state-123",
    });
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    const landed = await clickThrough(authorizationUrl, "#allow", async (page) => {
      await expect(page.textContent("#signed-in-as")).resolves.toContain(
        "test-user@polar-emulator.local",
      );
      await expect(page.textContent("#scopes")).resolves.toContain("products:read");
    });
    expect(landed.searchParams.get("state")).toBe("state-123");
    const code = landed.searchParams.get("code")!;
    expect(code).toMatch(/^polar_ac_/);

    const tokens = await exchangeAuthorization(running.url, {
      metadata,
      clientInformation,
      authorizationCode: code,
      codeVerifier,
      redirectUri: redirectUrl,
    });
    expect(tokens.access_token).toMatch(/^polar_at_u_/);
    expect(tokens.refresh_token).toMatch(/^polar_rt_u_/);
    expect(tokens.expires_in).toBe(864000);
    expect(tokens.scope).toBe("openid email products:read organizations:read");

    // The ID token verifies against the published keys and names the test user.
    const { payload } = await jwtVerify(
      tokens.id_token!,
      createRemoteJWKSet(new URL(`${running.url}/.well-known/jwks.json`)),
      {
        issuer: running.url,
        audience: clientInformation.client_id,
      },
    );
    expect(payload.email).toBe("test-user@polar-emulator.local");

    const polar = createPolar({ accessToken: tokens.access_token, baseUrl: running.url });
    const products = await polar.products.list({});
    expect(products.items.map((p) => p.id)).toContain(running.seed!.productId);
    const organization = await polar.organizations.get(running.seed!.organizationId);
    expect(organization.slug).toBe("polar-mcp-demo");
    // Outside its scopes: 403, as Polar.
    const write = await fetch(`${running.url}/v1/products/`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: "x", prices: [{ amount_type: "free" }] }),
    });
    expect(write.status).toBe(403);

    const userinfo = await fetch(`${running.url}/v1/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await userinfo.json()).toMatchObject({
      email: "test-user@polar-emulator.local",
      email_verified: true,
    });

    // Refresh: a new pair; the old refresh token is spent, the old access token lives on.
    const refreshed = await refreshAuthorization(running.url, {
      metadata,
      clientInformation,
      refreshToken: tokens.refresh_token!,
    });
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.expires_in).toBe(3600);
    const reused = await form(metadata.token_endpoint, {
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token!,
      client_id: clientInformation.client_id,
    });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: "invalid_grant" });
    expect((await polar.products.list({})).items.length).toBeGreaterThan(0);
  });

  it("denied consent goes back with access_denied; a second request skips the screen; a wrong verifier fails", async () => {
    const { metadata, clientInformation } = await setUp("products:read");
    const first = await startAuthorization(running.url, {
      metadata,
      clientInformation,
      redirectUrl,
      scope: "products:read",
      state: "s1",
    });
    const denied = await clickThrough(first.authorizationUrl, "#deny");
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe("s1");

    const second = await startAuthorization(running.url, {
      metadata,
      clientInformation,
      redirectUrl,
      scope: "products:read",
    });
    const allowed = await clickThrough(second.authorizationUrl, "#allow");
    const wrong = await form(metadata.token_endpoint, {
      grant_type: "authorization_code",
      code: allowed.searchParams.get("code")!,
      redirect_uri: redirectUrl,
      client_id: clientInformation.client_id,
      code_verifier: "x".repeat(43),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      error: "invalid_grant",
      error_description: "Code challenge failed.",
    });

    // Consent is remembered: no screen, straight back with a code (Polar's prompt shortcut).
    const third = await startAuthorization(running.url, {
      metadata,
      clientInformation,
      redirectUrl,
      scope: "products:read",
    });
    const direct = await fetch(third.authorizationUrl, { redirect: "manual" });
    expect(direct.status).toBe(302);
    const location = new URL(direct.headers.get("location")!);
    expect(location.toString().startsWith(redirectUrl)).toBe(true);
    const tokens = await exchangeAuthorization(running.url, {
      metadata,
      clientInformation,
      authorizationCode: location.searchParams.get("code")!,
      codeVerifier: third.codeVerifier,
      redirectUri: redirectUrl,
    });
    expect(tokens.scope).toBe("products:read");
    // A public client has no refresh_token grant here? It has: the registration asked for it.
    expect(tokens.refresh_token).toBeDefined();
  });

  it("a confidential client revokes and introspects; revoked tokens stop working on /v1", async () => {
    const registered = await fetch(`${running.url}/v1/oauth2/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: "Gateway",
        redirect_uris: [redirectUrl],
        scope: "customers:read",
      }),
    });
    expect(registered.status).toBe(201);
    const client = (await registered.json()) as {
      client_id: string;
      client_secret: string;
      token_endpoint_auth_method: string;
    };
    expect(client.token_endpoint_auth_method).toBe("client_secret_post");
    const metadata = (await discoverAuthorizationServerMetadata(running.url))!;
    const { authorizationUrl, codeVerifier } = await startAuthorization(running.url, {
      metadata,
      clientInformation: client,
      redirectUrl,
      scope: "customers:read",
    });
    const landed = await clickThrough(authorizationUrl, "#allow");
    const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`;
    // Basic is not this client's registered method: 401 invalid_client.
    const wrongMethod = await form(
      metadata.token_endpoint,
      {
        grant_type: "authorization_code",
        code: landed.searchParams.get("code")!,
        redirect_uri: redirectUrl,
        code_verifier: codeVerifier,
      },
      { authorization: basic },
    );
    expect(wrongMethod.status).toBe(401);
    const exchanged = await form(metadata.token_endpoint, {
      grant_type: "authorization_code",
      code: landed.searchParams.get("code")!,
      redirect_uri: redirectUrl,
      code_verifier: codeVerifier,
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    const tokens = (await exchanged.json()) as { access_token: string };
    expect(exchanged.status).toBe(200);
    const customers = await fetch(`${running.url}/v1/customers/`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(customers.status).toBe(200);

    const credentials = { client_id: client.client_id, client_secret: client.client_secret };
    const introspected = await form(`${running.url}/v1/oauth2/introspect`, {
      token: tokens.access_token,
      ...credentials,
    });
    expect(await introspected.json()).toMatchObject({
      active: true,
      token_type: "access_token",
      scope: "customers:read",
      sub_type: "user",
      organizations: [running.seed!.organizationId],
      aud: client.client_id,
    });
    const revoked = await form(`${running.url}/v1/oauth2/revoke`, {
      token: tokens.access_token,
      ...credentials,
    });
    expect(revoked.status).toBe(200);
    const after = await fetch(`${running.url}/v1/customers/`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(after.status).toBe(401);
    expect(
      await (
        await form(`${running.url}/v1/oauth2/introspect`, {
          token: tokens.access_token,
          ...credentials,
        })
      ).json(),
    ).toMatchObject({ active: false });
  });

  it("registration checks redirect URIs and scopes; the registration token reads, updates and deletes the client", async () => {
    const post = (body: unknown) =>
      fetch(`${running.url}/v1/oauth2/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const insecure = await post({ client_name: "x", redirect_uris: ["http://example.com/cb"] });
    expect(insecure.status).toBe(422);
    expect(JSON.stringify(await insecure.json())).toContain("An HTTPS URL is required.");
    const badScope = await post({
      client_name: "x",
      redirect_uris: ["https://example.com/cb"],
      scope: "products:read organization_access_tokens:write",
    });
    expect(badScope.status).toBe(400);
    expect(await badScope.json()).toMatchObject({ error: "invalid_client_metadata" });

    const created = (await (
      await post({ client_name: "x", redirect_uris: ["https://example.com/cb"] })
    ).json()) as Record<string, string>;
    const at = created.registration_client_uri!;
    expect((await fetch(at)).status).toBe(400);
    expect((await fetch(at, { headers: { authorization: "Bearer polar_crt_wrong" } })).status).toBe(
      401,
    );
    const auth = { authorization: `Bearer ${created.registration_access_token}` };
    const updated = await fetch(at, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({
        client_id: created.client_id,
        client_name: "renamed",
        redirect_uris: ["https://example.com/cb2"],
      }),
    });
    expect(await updated.json()).toMatchObject({
      client_name: "renamed",
      redirect_uris: ["https://example.com/cb2"],
    });
    expect((await fetch(at, { method: "DELETE", headers: auth })).status).toBe(204);
    expect((await fetch(at, { headers: auth })).status).toBe(401);
  });

  it("serves the same metadata at both discovery documents; unknown clients are refused on the page without a redirect", async () => {
    const oidc = await (await fetch(`${running.url}/.well-known/openid-configuration`)).json();
    const rfc8414 = await (
      await fetch(`${running.url}/.well-known/oauth-authorization-server`)
    ).json();
    expect(rfc8414).toEqual(oidc);
    const page = await fetch(
      `${running.url}/oauth2/authorize?response_type=code&client_id=polar_ci_unknown`,
      { redirect: "manual" },
    );
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("invalid_client");
  });
});
