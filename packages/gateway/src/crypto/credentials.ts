import type { CredentialCipher } from "./encryption.js";
import { parseCredential, type CredentialValue } from "./credential-value.js";
import { GatewayError, GatewayHttpError } from "../errors.js";
import type { AccountRecord } from "../registry/types.js";

/**
 * An account's credential, opened, or a 503 that names the account's problem (its key is
 * not on the ring, or the value is damaged) so one bad account never fails the others.
 */
export function openCredentialValue(
  cipher: CredentialCipher,
  account: AccountRecord,
): CredentialValue {
  try {
    return parseCredential(cipher.decrypt(account.credentialCiphertext));
  } catch (error) {
    if (error instanceof GatewayError) {
      throw new GatewayHttpError(
        503,
        error.code,
        `The gateway cannot read the Polar credential of this server's account: ${error.message}`,
      );
    }
    throw error;
  }
}

/** The account's Polar access token (see {@link openCredentialValue}). */
export function openCredential(cipher: CredentialCipher, account: AccountRecord): string {
  return openCredentialValue(cipher, account).accessToken;
}
