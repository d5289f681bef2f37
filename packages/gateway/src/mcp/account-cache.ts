import { setTimeout as sleep } from "node:timers/promises";
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
/** One process at a time may refresh an account's token per window of this length. */
const REFRESH_LEASE_MS = 30_000;
/** How long a process without the lease waits for the refreshed credential. */
const REFRESH_WAIT_MS = 5_000;
/** A connected account's token is refreshed this long before it expires. */
export const REFRESH_AHEAD_MS = 5 * 60 * 1000;

/**
 * Accounts change only by deletion or a new sealed credential (re-encryption, or a refresh
 * of a connected account's token), so each process keeps the ones it served, decrypted,
 * and saves a query per MCP request. A deletion through any process marks the account's
 * servers deleted in the same transaction, and the server lookup that precedes every use
 * of this cache sees that, so a stale entry is never used. A connected account whose token
 * expires within {@link REFRESH_AHEAD_MS} is refreshed first: once per process at a time,
 * and, since Polar's refresh tokens rotate (a second use is refused), by one process of
 * those sharing the registry, under a lease; the others use the credential it writes.
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
    // Refresh tokens rotate: one use each. Processes sharing the registry take a lease (a
    // counter of limit 1 per window); the others wait for the credential it writes.
    const at = options.now();
    const lease = await registry.take([
      {
        key: `refresh:${account.id}`,
        windowStart: Math.floor(at / REFRESH_LEASE_MS) * REFRESH_LEASE_MS,
        amount: 1,
        limit: 1,
      },
    ]);
    if (!lease.granted) {
      const other = await refreshedElsewhere(account, REFRESH_WAIT_MS);
      if (other) return other;
      throw new GatewayHttpError(
        503,
        "credential_refreshing",
        "This account's Polar token is being refreshed by another gateway process; retry in a few seconds.",
        { "Retry-After": "2" },
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
      // A process whose lease fell in the previous window may have refreshed first: use its
      // result once it is written.
      const other = await refreshedElsewhere(account, REFRESH_WAIT_MS);
      if (other) return other;
      throw error;
    }
  }

  // The account's credential once another process has replaced it with a live token, checked
  // every 25 ms for up to `waitMs`; undefined if none appears.
  async function refreshedElsewhere(
    account: AccountRecord,
    waitMs: number,
  ): Promise<CredentialValue | undefined> {
    const deadline = performance.now() + waitMs;
    for (;;) {
      const latest = await registry.getAccount(account.id);
      if (latest && latest.credentialCiphertext !== account.credentialCiphertext) {
        const other = openCredentialValue(cipher, latest);
        if (other.kind === "oauth2" && other.expiresAt !== null && other.expiresAt > options.now())
          return other;
      }
      if (!latest || performance.now() + 25 > deadline) return undefined;
      await sleep(25);
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
