import {
  discoverAuthorizationServerMetadata,
  exchangeAuthorization,
  registerClient,
  startAuthorization,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { Polar } from "polar-sdk-strict";
import { HTTPClient } from "polar-sdk-strict/lib/http.js";
import { expect } from "vitest";
import type { Conformance, ConformanceCase } from "./harness.js";

/**
 * OAuth2. @polar-sh/sdk 1.x (the "latest" side) has no OAuth2 operations: that side uses
 * the MCP SDK's OAuth client (discovery, registration, PKCE, token exchange) — what the
 * tools server and the gateway sign agents in with — and plain HTTP where it has no call.
 * The strict side is @polar-sh/sdk 0.49, which has them all.
 */

const REDIRECT = "http://127.0.0.1:9/callback";

type Side = (h: Conformance) => Promise<void>;
const both = (operationId: string, latest: Side, strict: Side): ConformanceCase => ({
  operationId,
  latest,
  strict,
});

interface RegisteredClient {
  client_id: string;
  client_secret: string;
  registration_access_token: string;
  registration_client_uri: string;
}

async function register(
  h: Conformance,
  body: Record<string, unknown> = {},
): Promise<RegisteredClient> {
  const res = await fetch(`${h.url}/v1/oauth2/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Conformance", redirect_uris: [REDIRECT], ...body }),
  });
  return (await res.json()) as RegisteredClient;
}

/** The consent form's post, as the page sends it (the browser test clicks the real page). */
async function consent(h: Conformance, authorizationUrl: URL): Promise<string> {
  const fields = new URLSearchParams(authorizationUrl.searchParams);
  fields.set("action", "allow");
  fields.set("organizations", h.seed.organizationId);
  const res = await fetch(`${h.url}/v1/oauth2/consent`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: fields,
    redirect: "manual",
  });
  const location = new URL(res.headers.get("location")!);
  return location.searchParams.get("code")!;
}

/** A confidential client with a code, exchanged by the MCP SDK: its token pair. */
async function mcpTokens(h: Conformance, scope = "openid email products:read") {
  const metadata = (await discoverAuthorizationServerMetadata(h.url))!;
  const client = await register(h, { scope });
  const { authorizationUrl, codeVerifier } = await startAuthorization(h.url, {
    metadata,
    clientInformation: client,
    redirectUrl: REDIRECT,
    scope,
  });
  const tokens = await exchangeAuthorization(h.url, {
    metadata,
    clientInformation: client,
    authorizationCode: await consent(h, authorizationUrl),
    codeVerifier,
    redirectUri: REDIRECT,
  });
  return { client, tokens };
}

/** An OAuth2 user access token for the demo organization, with these scopes. */
export async function userAccessToken(h: Conformance, scope: string): Promise<string> {
  return (await mcpTokens(h, scope)).tokens.access_token;
}

/** The strict SDK with a query string added to its requests (its authorize takes none). */
function strictWithQuery(h: Conformance, query: URLSearchParams, accessToken = h.seed.accessToken) {
  const httpClient = new HTTPClient();
  httpClient.addHook("beforeRequest", (request) => {
    const url = new URL(request.url);
    for (const [key, value] of query) url.searchParams.set(key, value);
    return new Request(url, request);
  });
  return new Polar({ accessToken, serverURL: h.url, httpClient });
}

/** A code for a confidential client, through the strict SDK's view of the authorize step. */
async function strictCode(h: Conformance, client: RegisteredClient, scope: string) {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: REDIRECT,
    scope,
  });
  const info = await strictWithQuery(h, query).oauth2.authorize();
  expect(info.subType).toBe("user");
  return consent(h, new URL(`${h.url}/oauth2/authorize?${query}`));
}

async function strictTokens(h: Conformance, scope = "openid email customers:read") {
  const client = await register(h, { scope });
  const code = await strictCode(h, client, scope);
  const tokens = await h.strict.oauth2.token({
    grantType: "authorization_code",
    clientId: client.client_id,
    clientSecret: client.client_secret,
    code,
    redirectUri: REDIRECT,
  });
  return { client, tokens };
}

export const cases: ConformanceCase[] = [
  both(
    "oauth2:clients:oauth2:create_client",
    async (h) => {
      const metadata = (await discoverAuthorizationServerMetadata(h.url))!;
      const client = await registerClient(h.url, {
        metadata,
        clientMetadata: {
          client_name: "MCP",
          redirect_uris: [REDIRECT],
          token_endpoint_auth_method: "none",
        },
      });
      expect(client.client_id).toMatch(/^polar_ci_/);
    },
    async (h) => {
      // Polar answers 201 (authlib's RFC 7591 endpoint) where its document says 200:
      // 0.49's strict matcher refuses the answer it would get from Polar too.
      await expect(
        h.strict.oauth2.clients.create({ clientName: "Strict", redirectUris: [REDIRECT] }),
      ).rejects.toMatchObject({ statusCode: 201 });
    },
  ),
  both(
    "oauth2:clients:oauth2:get_client",
    async (h) => {
      const client = await register(h);
      const res = await fetch(client.registration_client_uri, {
        headers: { authorization: `Bearer ${client.registration_access_token}` },
      });
      expect(await res.json()).toMatchObject({ client_id: client.client_id });
    },
    async (h) => {
      const client = await register(h);
      const polar = new Polar({ accessToken: client.registration_access_token, serverURL: h.url });
      expect(await polar.oauth2.clients.get({ clientId: client.client_id })).toMatchObject({
        client_name: "Conformance",
      });
    },
  ),
  both(
    "oauth2:clients:oauth2:update_client",
    async (h) => {
      const client = await register(h);
      const res = await fetch(client.registration_client_uri, {
        method: "PUT",
        headers: {
          authorization: `Bearer ${client.registration_access_token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          client_id: client.client_id,
          client_name: "Renamed",
          redirect_uris: [REDIRECT],
        }),
      });
      expect(await res.json()).toMatchObject({ client_name: "Renamed" });
    },
    async (h) => {
      const client = await register(h);
      const polar = new Polar({ accessToken: client.registration_access_token, serverURL: h.url });
      const updated = await polar.oauth2.clients.update({
        clientId: client.client_id,
        oAuth2ClientConfigurationUpdate: {
          clientId: client.client_id,
          clientName: "Renamed",
          redirectUris: [REDIRECT],
        },
      });
      expect(updated).toMatchObject({ client_name: "Renamed" });
    },
  ),
  both(
    "oauth2:clients:oauth2:delete_client",
    async (h) => {
      const client = await register(h);
      const auth = { authorization: `Bearer ${client.registration_access_token}` };
      expect(
        (await fetch(client.registration_client_uri, { method: "DELETE", headers: auth })).status,
      ).toBe(204);
    },
    async (h) => {
      const client = await register(h);
      const polar = new Polar({ accessToken: client.registration_access_token, serverURL: h.url });
      await polar.oauth2.clients.delete({ clientId: client.client_id });
      await expect(polar.oauth2.clients.get({ clientId: client.client_id })).rejects.toMatchObject({
        statusCode: 401,
      });
    },
  ),
  both(
    "oauth2:authorize",
    async (h) => {
      const metadata = (await discoverAuthorizationServerMetadata(h.url))!;
      const client = await register(h);
      const { authorizationUrl } = await startAuthorization(h.url, {
        metadata,
        clientInformation: client,
        redirectUrl: REDIRECT,
        scope: "products:read",
      });
      // The API view of the same request (Polar's web app reads it to draw the screen).
      const api = new URL(`/v1/oauth2/authorize${authorizationUrl.search}`, h.url);
      const body = (await (await fetch(api)).json()) as {
        scopes: string[];
        organizations: { id: string }[];
      };
      expect(body.scopes).toEqual(["products:read"]);
      expect(body.organizations.map((o) => o.id)).toContain(h.seed.organizationId);
    },
    async (h) => {
      const client = await register(h);
      await strictCode(h, client, "products:read");
    },
  ),
  both(
    "oauth2:request_token",
    async (h) => {
      const { tokens } = await mcpTokens(h);
      expect(tokens.token_type).toBe("Bearer");
    },
    async (h) => {
      const { client, tokens } = await strictTokens(h);
      expect(tokens.accessToken).toMatch(/^polar_at_u_/);
      const refreshed = await h.strict.oauth2.token({
        grantType: "refresh_token",
        clientId: client.client_id,
        clientSecret: client.client_secret,
        refreshToken: tokens.refreshToken!,
      });
      expect(refreshed.scope).toBe("openid email customers:read");
    },
  ),
  both(
    "oauth2:revoke_token",
    async (h) => {
      const { client, tokens } = await mcpTokens(h);
      const res = await fetch(`${h.url}/v1/oauth2/revoke`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          token: tokens.access_token,
          client_id: client.client_id,
          client_secret: client.client_secret,
        }),
      });
      expect(await res.json()).toEqual({});
    },
    async (h) => {
      const { client, tokens } = await strictTokens(h);
      await h.strict.oauth2.revoke({
        token: tokens.refreshToken!,
        clientId: client.client_id,
        clientSecret: client.client_secret,
      });
    },
  ),
  both(
    "oauth2:introspect_token",
    async (h) => {
      const { client, tokens } = await mcpTokens(h);
      const res = await fetch(`${h.url}/v1/oauth2/introspect`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ token: tokens.access_token }),
      });
      // Basic is not the registered method (client_secret_post): refused as authlib does.
      expect(res.status).toBe(401);
      const ok = await fetch(`${h.url}/v1/oauth2/introspect`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          token: tokens.access_token,
          client_id: client.client_id,
          client_secret: client.client_secret,
        }),
      });
      expect(await ok.json()).toMatchObject({
        active: true,
        organizations: [h.seed.organizationId],
      });
    },
    async (h) => {
      const { client, tokens } = await strictTokens(h);
      const info = await h.strict.oauth2.introspect({
        token: tokens.accessToken,
        clientId: client.client_id,
        clientSecret: client.client_secret,
      });
      expect(info).toMatchObject({ active: true, tokenType: "access_token", subType: "user" });
    },
  ),
  both(
    "oauth2:userinfo",
    async (h) => {
      const { tokens } = await mcpTokens(h);
      const res = await fetch(`${h.url}/v1/oauth2/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(await res.json()).toMatchObject({ email_verified: true });
    },
    async (h) => {
      const { tokens } = await strictTokens(h);
      const polar = new Polar({ accessToken: tokens.accessToken, serverURL: h.url });
      expect(await polar.oauth2.userinfo()).toMatchObject({
        email: "test-user@polar-emulator.local",
      });
    },
  ),
];
