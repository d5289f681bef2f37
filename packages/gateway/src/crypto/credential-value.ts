/**
 * What an account's sealed credential holds: a plain Polar token (pasted by an operator),
 * or the tokens of a "Connect with Polar" OAuth2 grant as `oauth2:<json>`.
 */
export type CredentialValue =
  | { kind: "token"; accessToken: string }
  | {
      kind: "oauth2";
      accessToken: string;
      refreshToken: string | null;
      /** Ms since the epoch; null when Polar gave no expiry. */
      expiresAt: number | null;
      tokenEndpoint: string;
    };

const OAUTH_PREFIX = "oauth2:";

export function parseCredential(plaintext: string): CredentialValue {
  if (!plaintext.startsWith(OAUTH_PREFIX)) return { kind: "token", accessToken: plaintext };
  const value = JSON.parse(plaintext.slice(OAUTH_PREFIX.length)) as Record<string, unknown>;
  return {
    kind: "oauth2",
    accessToken: String(value.access_token),
    refreshToken: typeof value.refresh_token === "string" ? value.refresh_token : null,
    expiresAt: typeof value.expires_at === "number" ? value.expires_at : null,
    tokenEndpoint: String(value.token_endpoint),
  };
}

export function serializeCredential(value: CredentialValue): string {
  if (value.kind === "token") return value.accessToken;
  return `${OAUTH_PREFIX}${JSON.stringify({
    access_token: value.accessToken,
    refresh_token: value.refreshToken,
    expires_at: value.expiresAt,
    token_endpoint: value.tokenEndpoint,
  })}`;
}
