import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { GatewayError } from "../errors.js";

const ALGORITHM = "aes-256-gcm";

/** One key of the ring: the id written beside every value it seals, and the 32 bytes. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** Encrypts and decrypts account credentials at rest, with a ring of keys. */
export interface CredentialCipher {
  /** Seals with the newest key: `v2.<key id>.<iv>.<tag>.<ciphertext>`. */
  encrypt(plaintext: string): string;
  /** Opens with the key the value names (v1 values, which name none: every key in turn). */
  decrypt(sealed: string): string;
  /** The key id a sealed value names (null for v1 values). */
  keyIdOf(sealed: string): string | null;
  /** Id of the newest key, the one `encrypt` uses. */
  readonly primaryKeyId: string;
}

const HOW = "create one with `openssl rand -base64 32`";

/**
 * Parses `POLAR_MCP_ENCRYPTION_KEY`: 32 bytes as base64, base64url or 64 hex characters.
 * Throws a `GatewayError` (`missing_encryption_key` / `invalid_encryption_key`) that says
 * how to make one; the key itself is never echoed.
 */
export function parseEncryptionKey(value: string | undefined): Buffer {
  if (!value) {
    throw new GatewayError(
      "missing_encryption_key",
      `POLAR_MCP_ENCRYPTION_KEY is not set; ${HOW} and set it in the gateway's environment.`,
    );
  }
  return decodeKey(value.trim(), "POLAR_MCP_ENCRYPTION_KEY");
}

/**
 * Parses `POLAR_MCP_ENCRYPTION_KEYS`: comma-separated keys, newest first, each `id:key`
 * (id: letters, digits, `_` or `-`, up to 32) or a bare key (its id is then `k` + the
 * first 8 hex digits of the key's SHA-256). The first key seals new values; the others
 * only open values they sealed.
 *
 * @example
 * parseEncryptionKeys("2026-06:3q2+7w…=,2025-01:9f8e…"); // [{ id: "2026-06", key }, { id: "2025-01", key }]
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const ring: EncryptionKey[] = [];
  for (const entry of value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(":");
    const id = colon >= 0 ? entry.slice(0, colon).trim() : undefined;
    const raw = colon >= 0 ? entry.slice(colon + 1).trim() : entry;
    if (id !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new GatewayError(
        "invalid_encryption_key",
        `POLAR_MCP_ENCRYPTION_KEYS: key ids are letters, digits, "_" or "-" (at most 32), written id:key.`,
      );
    }
    const key = decodeKey(raw, "POLAR_MCP_ENCRYPTION_KEYS");
    const keyId = id ?? fingerprint(key);
    if (ring.some((k) => k.id === keyId)) {
      throw new GatewayError(
        "invalid_encryption_key",
        `POLAR_MCP_ENCRYPTION_KEYS: key id "${keyId}" appears twice; give each key its own id.`,
      );
    }
    ring.push({ id: keyId, key });
  }
  if (ring.length === 0) {
    throw new GatewayError(
      "missing_encryption_key",
      `POLAR_MCP_ENCRYPTION_KEYS is empty; ${HOW} and list it as id:key.`,
    );
  }
  return ring;
}

/**
 * The gateway's keyring from its options or environment: `POLAR_MCP_ENCRYPTION_KEYS`
 * (newest first) and/or `POLAR_MCP_ENCRYPTION_KEY` (one key; after the ring when both are set).
 */
export function keyringFrom(keys: string | undefined, key: string | undefined): EncryptionKey[] {
  if (!keys) {
    const single = parseEncryptionKey(key);
    return [{ id: fingerprint(single), key: single }];
  }
  const ring = parseEncryptionKeys(keys);
  if (key) {
    const single = parseEncryptionKey(key);
    if (!ring.some((k) => k.key.equals(single)))
      ring.push({ id: fingerprint(single), key: single });
  }
  return ring;
}

/** Id of a key given without one: `k` + the first 8 hex digits of its SHA-256. */
export function fingerprint(key: Buffer): string {
  return `k${createHash("sha256").update(key).digest("hex").slice(0, 8)}`;
}

function decodeKey(value: string, variable: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value)
    ? Buffer.from(value, "hex")
    : Buffer.from(value, "base64");
  if (key.length !== 32) {
    throw new GatewayError(
      "invalid_encryption_key",
      `${variable} keys must be 32 bytes as base64 or 64 hex characters (one decodes to ${key.length} bytes); ${HOW}.`,
    );
  }
  return key;
}

/**
 * AES-256-GCM with a fresh 12-byte IV per value, sealed under the ring's first key; the
 * output is `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url), so a value names the key
 * that opens it. Values of the earlier `v1.<iv>.<tag>.<ciphertext>` format are opened by
 * trying each key. A single Buffer is a ring of one key (id: its fingerprint). A value
 * whose key id is not on the ring is tried with every key, so renaming a key is safe.
 *
 * @example
 * const cipher = createCredentialCipher(parseEncryptionKeys(process.env.POLAR_MCP_ENCRYPTION_KEYS!));
 * cipher.decrypt(cipher.encrypt("polar_oat_…")); // "polar_oat_…"
 */
export function createCredentialCipher(keys: Buffer | readonly EncryptionKey[]): CredentialCipher {
  const ring: readonly EncryptionKey[] = Buffer.isBuffer(keys)
    ? [{ id: fingerprint(keys), key: keys }]
    : keys;
  const primary = ring[0];
  if (!primary) throw new GatewayError("missing_encryption_key", `No encryption key; ${HOW}.`);
  return {
    primaryKeyId: primary.id,
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv(ALGORITHM, primary.key, iv);
      const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ["v2", primary.id, ...[iv, tag, data].map((p) => p.toString("base64url"))].join(".");
    },
    keyIdOf(sealed) {
      return sealed.startsWith("v2.") ? (sealed.split(".")[1] ?? null) : null;
    },
    decrypt(sealed) {
      const parts = sealed.split(".");
      const v2 = parts[0] === "v2" && parts.length === 5;
      if (!v2 && !(parts[0] === "v1" && parts.length === 4)) {
        throw new GatewayError(
          "invalid_ciphertext",
          "A stored credential is not in a known format; re-create the account.",
        );
      }
      const [iv, tag, data] = parts.slice(v2 ? 2 : 1) as [string, string, string];
      const named = v2 ? ring.find((k) => k.id === parts[1]) : undefined;
      // The named key first; then every key (v1 values name none, and a key may be renamed).
      for (const { key } of named ? [named, ...ring.filter((k) => k !== named)] : ring) {
        try {
          return open(key, iv, tag, data);
        } catch {
          // Not this key.
        }
      }
      if (named) {
        throw new GatewayError(
          "decryption_failed",
          `This account's Polar credential does not open with key "${named.id}", the key it names: that key differs from the one it was stored with, or the value was altered. Restore the original key or re-create the account.`,
        );
      }
      throw new GatewayError(
        "encryption_key_missing",
        `This account's Polar credential was sealed with ${v2 ? `key "${parts[1]}"` : "a key"}, which is not in POLAR_MCP_ENCRYPTION_KEYS (or POLAR_MCP_ENCRYPTION_KEY); add that key back after the newest, or re-create the account.`,
      );
    },
  };
}

// Throws when the key is not the one that sealed the value (GCM's tag does not match).
function open(key: Buffer, iv: string, tag: string, data: string): string {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(data, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}
