import type { CredentialCipher } from "./encryption.js";
import { GatewayError, GatewayHttpError } from "../errors.js";
import type { AccountRecord } from "../registry/types.js";

/**
 * An account's Polar token, or a 503 that names the account's problem (its key is not on
 * the ring, or the value is damaged) so one bad account never fails the others.
 */
export function openCredential(cipher: CredentialCipher, account: AccountRecord): string {
  try {
    return cipher.decrypt(account.credentialCiphertext);
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
