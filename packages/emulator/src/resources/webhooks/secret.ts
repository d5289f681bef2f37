import { randomInt } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** zlib's CRC-32 of an ASCII string. */
function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++)
    crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** `_crc32_to_base62`: the checksum in base 62, zero-padded to 6 characters. */
function base62(value: number): string {
  let out = "";
  for (let n = value; n > 0; n = Math.floor(n / 62)) out = BASE62[n % 62]! + out;
  return out.padStart(6, "0");
}

/**
 * A secret as Polar's `generate_token(prefix=…)` makes it: the prefix, 37 random letters
 * and digits, and the token's CRC-32 in 6 base-62 characters. Webhook endpoints get the
 * prefix `whsec_` (polarsource/polar server/polar/webhook/constants.py since 2026-06,
 * #12712; endpoints created before keep their `polar_whs_…` secrets, which still verify).
 */
export function newPolarToken(prefix: string): string {
  let token = "";
  for (let i = 0; i < 37; i++) token += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return `${prefix}${token}${base62(crc32(token))}`;
}

/** The secret of a new webhook endpoint, or of one whose secret is reset. */
export const newWebhookSecret = (): string => newPolarToken("whsec_");
