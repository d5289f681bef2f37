import { createHash } from "node:crypto";
import {
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  oauthMetadataResponse,
  requireBearerAuth,
  type AuthInfo,
  type OAuthMetadata,
} from "@modelcontextprotocol/server";
import { ServerError } from "../errors.js";

/** Options of {@link createPolarSignIn}. */
export interface PolarSignInOptions {
  /** Polar as authorization server: the origin serving its OAuth metadata (the API base URL). */
  issuer: string;
  /** This MCP server's public URL (the protected resource), e.g. `https://mcp.example.com/mcp`. */
  resourceUrl: URL;
  /** Injected fetch (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Seconds a verified token is trusted before Polar is asked again (default 60). */
  verifiedForSeconds?: number;
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
}

/** "Sign in with Polar" for a Streamable HTTP endpoint: discovery documents and the bearer gate. */
export interface PolarSignIn {
  /** The RFC 9728 metadata URL clients are pointed at in `WWW-Authenticate`. */
  readonly resourceMetadataUrl: string;
  /** Answers `/.well-known/oauth-protected-resource[/…]` and `/.well-known/oauth-authorization-server`; undefined for other paths. */
  metadataResponse(request: Request): Response | undefined;
  /** The verified token of a request, or the 401 challenge to send instead. */
  authenticate(request: Request): Promise<AuthInfo | Response>;
}

/**
 * MCP authorization with Polar as the authorization server (OAuth 2.1: dynamic client
 * registration and PKCE happen between the MCP client and Polar): this server is the
 * resource server. It publishes RFC 9728 protected-resource metadata naming Polar, answers
 * requests without a valid token with `401` and a `WWW-Authenticate: Bearer
 * resource_metadata=…` challenge, and checks every token with Polar (its userinfo endpoint)
 * before any tool uses it; tokens Polar refuses never reach a tool. Polar does not bind
 * tokens to a resource (no RFC 8707 audience), so validity is what can be checked.
 *
 * @example
 * const signIn = await createPolarSignIn({ issuer: "https://api.polar.sh", resourceUrl: new URL("https://mcp.example.com/mcp") });
 */
export async function createPolarSignIn(options: PolarSignInOptions): Promise<PolarSignIn> {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  const ttlMs = (options.verifiedForSeconds ?? 60) * 1000;
  const metadata = await loadAuthorizationServerMetadata(options.issuer, fetchImpl);
  const userinfo = metadata.userinfo_endpoint;
  if (typeof userinfo !== "string") {
    throw new ServerError(
      "invalid_oauth_issuer",
      `Polar's OAuth metadata at ${options.issuer} names no userinfo_endpoint to verify tokens with.`,
    );
  }
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(options.resourceUrl);
  const verified = new Map<string, number>();
  const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const key = createHash("sha256").update(token).digest("hex");
      const until = verified.get(key);
      if (until === undefined || until <= now()) {
        const response = await fetchImpl(userinfo, {
          headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        });
        await response.body?.cancel();
        if (response.status === 401 || response.status === 403) {
          verified.delete(key);
          throw new OAuthError(
            OAuthErrorCode.InvalidToken,
            "Polar does not accept this token; sign in again.",
          );
        }
        if (!response.ok) {
          throw new OAuthError(
            OAuthErrorCode.ServerError,
            `Polar could not verify the token (HTTP ${response.status}).`,
          );
        }
        verified.set(key, now() + ttlMs);
      }
      return {
        token,
        clientId: "polar",
        scopes: [],
        expiresAt: Math.floor((verified.get(key) ?? now()) / 1000),
      };
    },
  };
  const gate = requireBearerAuth({ verifier, resourceMetadataUrl });
  const local = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i.test(
    new URL(options.issuer).origin,
  );
  return {
    resourceMetadataUrl,
    metadataResponse: (request) =>
      oauthMetadataResponse(request, {
        oauthMetadata: metadata,
        resourceServerUrl: options.resourceUrl,
        resourceName: "Polar (polar-mcp)",
        ...(local ? { dangerouslyAllowInsecureIssuerUrl: true } : {}),
      }),
    authenticate: (request) => gate(request),
  };
}

async function loadAuthorizationServerMetadata(
  issuer: string,
  fetchImpl: typeof globalThis.fetch,
): Promise<OAuthMetadata> {
  const base = issuer.replace(/\/+$/, "");
  for (const path of [
    "/.well-known/oauth-authorization-server",
    "/.well-known/openid-configuration",
  ]) {
    const response = await fetchImpl(`${base}${path}`, { headers: { accept: "application/json" } });
    if (response.ok) return (await response.json()) as OAuthMetadata;
    await response.body?.cancel();
  }
  throw new ServerError(
    "invalid_oauth_issuer",
    `No OAuth authorization server metadata at ${base}; pass Polar's API base URL as the issuer.`,
  );
}
