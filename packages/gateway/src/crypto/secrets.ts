import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Bytes of randomness in a server URL secret or an API token. */
export const SECRET_BYTES = 32;

/** A fresh secret: 32 random bytes, base64url (43 characters), with an optional prefix. */
export function newSecret(prefix = ""): string {
  return `${prefix}${randomBytes(SECRET_BYTES).toString("base64url")}`;
}

/** SHA-256 of a secret, hex: the only form in which secrets are stored. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/**
 * Compares a presented secret with a stored hash in constant time (both sides are
 * SHA-256 digests, so they always have the same length).
 */
export function secretMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(presented), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A short random identifier such as `mcp_3kq…` (not a secret). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}
