import type { OAuthClient } from "../connect/oauth.js";
import { requestTokens } from "../connect/oauth.js";
import { serializeCredential, type CredentialValue } from "../crypto/credential-value.js";
import { openCredentialValue } from "../crypto/credentials.js";
import type { CredentialCipher } from "../crypto/encryption.js";
import { GatewayHttpError } from "../errors.js";
import type { AccountRecord, Registry } from "../registry/types.js";

/** An account with its decrypted Polar token, kept in memory only. */
export interface OpenAccount {
  account: AccountRecord;
  accessToken: string;
  /** When a connected (OAuth2) account's token expires, in ms; null for pasted tokens. */
  expiresAt: number | null;
}

const MAX_ENTRIES = 10_000;
/** A connected account's token is refreshed this long before it expires. */
export const REFRESH_AHEAD_MS = 5 * 60 * 1000;

/**
 * Accounts change only by deletion or a new sealed credential (re-encryption, or a refresh
 * of a connected account's token), so each process keeps the ones it served, decrypted,
 * and saves a query per MCP request. A deletion through any process marks the account's
 * servers deleted in the same transaction, and the server lookup that precedes every use
 * of this cache sees that, so a stale entry is never used. A connected account whose token
 * expires within {@link REFRESH_AHEAD_MS} is refreshed first (once per process at a time).
 */
export function createAccountCache(
  registry: Registry,
  cipher: CredentialCipher,
  options: {
    now: () => number;
    fetch: typeof globalThis.fetch;
    oauthClient: OAuthClient | undefined;
  },
) {
  const entries = new Map<string, OpenAccount>();
  const refreshing = new Map<string, Promise<OpenAccount | undefined>>();
  const fresh = (open: OpenAccount) =>
    open.expiresAt === null || open.expiresAt - options.now() > REFRESH_AHEAD_MS;

  async function load(id: string): Promise<OpenAccount | undefined> {
    const account = await registry.getAccount(id);
    if (!account) return undefined;
    let value = openCredentialValue(cipher, account);
    if (
      value.kind === "oauth2" &&
      value.expiresAt !== null &&
      value.expiresAt - options.now() <= REFRESH_AHEAD_MS
    )
      value = await refresh(account, value);
    const open: OpenAccount = {
      account,
      accessToken: value.accessToken,
      expiresAt: value.kind === "oauth2" ? value.expiresAt : null,
    };
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    entries.set(id, open);
    return open;
  }

  async function refresh(
    account: AccountRecord,
    value: Extract<CredentialValue, { kind: "oauth2" }>,
  ): Promise<CredentialValue> {
    if (!value.refreshToken || !options.oauthClient) {
      throw new GatewayHttpError(
        503,
        "credential_expired",
        "This server's account was connected with Polar and its token expired; connect the account again (POST /admin/connect).",
      );
    }
    try {
      const tokens = await requestTokens(
        options.fetch,
        value.tokenEndpoint,
        options.oauthClient,
        { grant_type: "refresh_token", refresh_token: value.refreshToken },
        options.now(),
      );
      const next: CredentialValue = {
        ...value,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? value.refreshToken,
        expiresAt: tokens.expiresAt,
      };
      await registry.updateAccountCredential(account.id, cipher.encrypt(serializeCredential(next)));
      return next;
    } catch (error) {
      // Another process may have refreshed first (refresh tokens rotate): use its result.
      const latest = await registry.getAccount(account.id);
      if (latest && latest.credentialCiphertext !== account.credentialCiphertext) {
        const other = openCredentialValue(cipher, latest);
        if (other.kind === "oauth2" && other.expiresAt !== null && other.expiresAt > options.now())
          return other;
      }
      throw error;
    }
  }

  return {
    async get(id: string): Promise<OpenAccount | undefined> {
      const cached = entries.get(id);
      if (cached && fresh(cached)) return cached;
      let pending = refreshing.get(id);
      if (!pending) {
        pending = load(id).finally(() => refreshing.delete(id));
        refreshing.set(id, pending);
      }
      return pending;
    },
    forget(id: string): void {
      entries.delete(id);
    },
  };
}

/** The cache's type. */
export type AccountCache = ReturnType<typeof createAccountCache>;
