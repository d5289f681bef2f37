import { createHash, randomBytes } from "node:crypto";
import type { Context, Hono } from "hono";
import { targetOf } from "../admin/accounts.js";
import { readObject, requiredString } from "../admin/body.js";
import { viewOf } from "../config/filters.js";
import { parseServerConfig } from "../config/parse.js";
import { isoNow, type GatewayContext } from "../context.js";
import { serializeCredential } from "../crypto/credential-value.js";
import { newId } from "../crypto/secrets.js";
import { GatewayError, GatewayHttpError } from "../errors.js";
import type { PolarEnvironment } from "../registry/types.js";
import { requestTokens } from "./oauth.js";

/** How long a connect URL stays valid. */
export const CONNECT_TTL_MS = 30 * 60 * 1000;

/** What the sealed `state` carries from the admin call to the callback (nothing is stored). */
interface PendingConnect {
  account_id: string;
  name: string;
  environment: PolarEnvironment;
  base_url: string;
  verifier: string;
  redirect_uri: string;
  expires_at: number;
}

/**
 * Connect with Polar. `POST /admin/connect` `{ name, server? | base_url?, config? }` answers
 * `{ account_id, connect_url, scopes, expires_at }`: the URL of Polar's consent screen for
 * the scopes the config's tools need (PKCE S256). The end user signs in there and approves;
 * Polar sends the browser to `/connect/callback`, where the gateway exchanges the code and
 * creates the account (with the id given in advance) holding the user's tokens, sealed like
 * any credential and refreshed before they expire. The pending request travels sealed in
 * `state` (AES-GCM under the gateway's key), so any gateway process can finish it.
 */
export function registerConnectRoutes(app: Hono, admin: Hono, ctx: GatewayContext): void {
  admin.post("/connect", async (c) => {
    const client = ctx.oauthClient;
    if (!client) {
      throw new GatewayHttpError(
        422,
        "connect_not_configured",
        "Connect with Polar needs the gateway's OAuth client: set POLAR_MCP_OAUTH_CLIENT_ID (and POLAR_MCP_OAUTH_CLIENT_SECRET) to a Polar OAuth2 client whose redirect URI is <gateway>/connect/callback.",
      );
    }
    const body = await readObject(c);
    const name = requiredString(body, "name");
    const { environment, baseUrl } = targetOf(body);
    const config = parseServerConfig(body.config);
    const spec = await ctx.specFor(baseUrl);
    const scopes = scopesFor(viewOf(spec, config, "polar_oat_connect").tools);
    const server = await ctx.discover(baseUrl);
    const verifier = randomBytes(32).toString("base64url");
    const pending: PendingConnect = {
      account_id: newId("acc"),
      name,
      environment,
      base_url: baseUrl,
      verifier,
      redirect_uri: `${origin(ctx, c)}/connect/callback`,
      expires_at: ctx.now() + CONNECT_TTL_MS,
    };
    const url = new URL(server.authorizationEndpoint);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: client.clientId,
      redirect_uri: pending.redirect_uri,
      scope: scopes.join(" "),
      state: ctx.cipher.encrypt(JSON.stringify(pending)),
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    }).toString();
    return c.json(
      {
        account_id: pending.account_id,
        connect_url: url.toString(),
        scopes,
        expires_at: new Date(pending.expires_at).toISOString(),
      },
      201,
    );
  });

  app.get("/connect/callback", async (c) => {
    const error = c.req.query("error");
    if (error) {
      return page(
        c,
        400,
        "Not connected",
        `Polar did not grant access (${error.slice(0, 60)}). Ask for a new link to try again.`,
      );
    }
    const pending = openState(ctx, c.req.query("state"));
    const code = c.req.query("code");
    if (!pending || !code) {
      return page(
        c,
        400,
        "Not connected",
        "This link is incomplete or was not made by this gateway. Ask for a new one.",
      );
    }
    if (pending.expires_at < ctx.now()) {
      return page(c, 400, "Link expired", "This connect link has expired. Ask for a new one.");
    }
    if (await ctx.registry.getAccount(pending.account_id)) {
      return page(
        c,
        409,
        "Already connected",
        "This account is already connected; nothing changed.",
      );
    }
    const server = await ctx.discover(pending.base_url);
    const tokens = await requestTokens(
      ctx.fetch,
      server.tokenEndpoint,
      ctx.oauthClient!,
      {
        grant_type: "authorization_code",
        code,
        redirect_uri: pending.redirect_uri,
        code_verifier: pending.verifier,
      },
      ctx.now(),
    );
    const sealed = ctx.cipher.encrypt(
      serializeCredential({
        kind: "oauth2",
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
        tokenEndpoint: server.tokenEndpoint,
      }),
    );
    await ctx.registry.createAccount({
      id: pending.account_id,
      name: pending.name,
      environment: pending.environment,
      baseUrl: pending.base_url,
      credentialCiphertext: sealed,
      createdAt: isoNow(ctx),
    });
    return page(
      c,
      200,
      "Connected",
      `${pending.name} is connected to the gateway. You can close this window.`,
      "connected",
    );
  });
}

/**
 * The scopes a config's tools need: for each tool the least of the scopes its operation
 * accepts (Polar lets `customers:write` read too, so a read tool asks for `customers:read`).
 */
function scopesFor(tools: readonly { scopes: string[] }[]): string[] {
  const needed = tools
    .map((t) => t.scopes.find((s) => s.endsWith(":read")) ?? t.scopes[0])
    .filter((s): s is string => s !== undefined);
  return [...new Set(needed)].sort();
}

function openState(ctx: GatewayContext, state: string | undefined): PendingConnect | undefined {
  if (!state) return undefined;
  try {
    const value = JSON.parse(ctx.cipher.decrypt(state)) as PendingConnect;
    return typeof value.account_id === "string" && typeof value.verifier === "string"
      ? value
      : undefined;
  } catch (error) {
    if (error instanceof GatewayError || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function origin(ctx: GatewayContext, c: Context): string {
  return (ctx.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, "");
}

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(
  c: Context,
  status: number,
  title: string,
  message: string,
  id = "connect-error",
): Response {
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Polar MCP gateway</title></head><body><h1>${escape(title)}</h1><p id="${id}">${escape(message)}</p></body></html>`,
    status as 200,
  );
}
