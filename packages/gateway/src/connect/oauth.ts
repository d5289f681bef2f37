import { GatewayHttpError } from "../errors.js";

/** The gateway's OAuth client at Polar (registered by the operator, redirect URI `<gateway>/connect/callback`). */
export interface OAuthClient {
  clientId: string;
  /** Confidential clients send it as `client_secret_post`; public clients leave it out. */
  clientSecret?: string;
}

/** The endpoints of Polar's authorization server, from its discovery document. */
export interface AuthorizationServer {
  authorizationEndpoint: string;
  tokenEndpoint: string;
}

/** Tokens as Polar's token endpoint answers them, with the expiry made absolute. */
export interface OAuthTokens {
  accessToken: string;
  refreshToken: string | null;
  /** Ms since the epoch; null when Polar gave no `expires_in`. */
  expiresAt: number | null;
}

/**
 * Polar's authorization server for an API base URL, from
 * `<base>/.well-known/oauth-authorization-server` (the emulator and Polar's API serve it),
 * cached per base URL.
 */
export function createDiscovery(fetch: typeof globalThis.fetch) {
  const cache = new Map<string, Promise<AuthorizationServer>>();
  return (baseUrl: string): Promise<AuthorizationServer> => {
    let pending = cache.get(baseUrl);
    if (!pending) {
      pending = discover(fetch, baseUrl);
      cache.set(baseUrl, pending);
      pending.catch(() => cache.delete(baseUrl));
    }
    return pending;
  };
}

async function discover(
  fetch: typeof globalThis.fetch,
  baseUrl: string,
): Promise<AuthorizationServer> {
  const unreachable = () =>
    new GatewayHttpError(
      502,
      "oauth_discovery_failed",
      "Cannot read Polar's OAuth2 metadata for this account's base URL; check the base URL and retry.",
    );
  let body: unknown;
  try {
    const response = await fetch(`${baseUrl}/.well-known/oauth-authorization-server`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw unreachable();
    body = await response.json();
  } catch (error) {
    throw error instanceof GatewayHttpError ? error : unreachable();
  }
  const record = (body ?? {}) as Record<string, unknown>;
  const { authorization_endpoint: authorize, token_endpoint: token } = record;
  if (typeof authorize !== "string" || typeof token !== "string") throw unreachable();
  return { authorizationEndpoint: authorize, tokenEndpoint: token };
}

/**
 * Calls the token endpoint (authorization_code or refresh_token grant) with the client's
 * credentials in the body. Polar's refusals become a 502 naming Polar's `error` code.
 */
export async function requestTokens(
  fetch: typeof globalThis.fetch,
  tokenEndpoint: string,
  client: OAuthClient,
  grant: Record<string, string>,
  now: number,
): Promise<OAuthTokens> {
  const form = new URLSearchParams({
    ...grant,
    client_id: client.clientId,
    ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
  });
  let response: Response;
  try {
    response = await fetch(tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form,
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new GatewayHttpError(
      502,
      "oauth_token_failed",
      "Polar's token endpoint did not answer; retry.",
    );
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof body.access_token !== "string") {
    const code =
      typeof body.error === "string" ? body.error.slice(0, 60) : `HTTP ${response.status}`;
    throw new GatewayHttpError(
      502,
      "oauth_token_failed",
      `Polar refused the token request (${code}); connect the account again.`,
    );
  }
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : null,
    expiresAt: typeof body.expires_in === "number" ? now + body.expires_in * 1000 : null,
  };
}
