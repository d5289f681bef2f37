import { openCredential } from "../crypto/credentials.js";
import type { CredentialCipher } from "../crypto/encryption.js";
import type { AccountRecord, Registry } from "../registry/types.js";

/** An account with its decrypted Polar token, kept in memory only. */
export interface OpenAccount {
  account: AccountRecord;
  accessToken: string;
}

const MAX_ENTRIES = 10_000;

/**
 * Accounts never change after creation (only deletion), so each process keeps the ones it
 * served, decrypted, and saves a query per MCP request. A deletion through any process
 * marks the account's servers deleted in the same transaction, and the server lookup that
 * precedes every use of this cache sees that, so a stale entry is never used.
 */
export function createAccountCache(registry: Registry, cipher: CredentialCipher) {
  const entries = new Map<string, OpenAccount>();
  return {
    async get(id: string): Promise<OpenAccount | undefined> {
      const cached = entries.get(id);
      if (cached) return cached;
      const account = await registry.getAccount(id);
      if (!account) return undefined;
      const open = { account, accessToken: openCredential(cipher, account) };
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      entries.set(id, open);
      return open;
    },
    forget(id: string): void {
      entries.delete(id);
    },
  };
}

/** The cache's type. */
export type AccountCache = ReturnType<typeof createAccountCache>;
