import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { GatewayError } from "../errors.js";

const ALGORITHM = "aes-256-gcm";
const VERSION = "v1";

/** Encrypts and decrypts account credentials at rest. */
export interface CredentialCipher {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
}

/**
 * Parses `POLAR_MCP_ENCRYPTION_KEY`: 32 bytes as base64, base64url or 64 hex characters.
 * Throws a `GatewayError` (`missing_encryption_key` / `invalid_encryption_key`) that says
 * how to make one; the key itself is never echoed.
 */
export function parseEncryptionKey(value: string | undefined): Buffer {
  if (!value) {
    throw new GatewayError(
      "missing_encryption_key",
      "POLAR_MCP_ENCRYPTION_KEY is not set; create one with `openssl rand -base64 32` and set it in the gateway's environment.",
    );
  }
  const trimmed = value.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new GatewayError(
      "invalid_encryption_key",
      `POLAR_MCP_ENCRYPTION_KEY must be 32 bytes as base64 or 64 hex characters (it decodes to ${key.length} bytes); create one with \`openssl rand -base64 32\`.`,
    );
  }
  return key;
}

/**
 * AES-256-GCM with a fresh 12-byte IV per value; the output is
 * `v1.<iv>.<tag>.<ciphertext>` in base64url. Decrypting with the wrong key fails clearly.
 *
 * @example
 * const cipher = createCredentialCipher(parseEncryptionKey(process.env.POLAR_MCP_ENCRYPTION_KEY));
 * cipher.decrypt(cipher.encrypt("polar_oat_…")); // "polar_oat_…"
 */
export function createCredentialCipher(key: Buffer): CredentialCipher {
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv(ALGORITHM, key, iv);
      const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, data]
        .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".");
    },
    decrypt(sealed) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== VERSION || !iv || !tag || data === undefined) {
        throw new GatewayError(
          "invalid_ciphertext",
          "A stored credential is not in the v1 format; re-create the account.",
        );
      }
      try {
        const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, "base64url"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([
          decipher.update(Buffer.from(data, "base64url")),
          decipher.final(),
        ]).toString("utf8");
      } catch (error) {
        throw new GatewayError(
          "decryption_failed",
          "A stored credential cannot be decrypted: POLAR_MCP_ENCRYPTION_KEY differs from the key it was stored with. Restore the old key or re-create the account.",
          { cause: error },
        );
      }
    },
  };
}
