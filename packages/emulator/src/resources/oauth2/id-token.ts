import { createHash } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import type { EmulatorContext } from "../../context.js";

/**
 * The emulator's OpenID Connect signing key (RS256, as Polar's JWT_CONFIG): one per
 * emulator process, published at `/.well-known/jwks.json`. Made on first use (RSA key
 * generation costs tens of milliseconds); ID tokens from an earlier process no longer verify.
 */
interface SigningKey {
  privateKey: CryptoKey;
  jwk: JWK;
}

const keys = new WeakMap<EmulatorContext, Promise<SigningKey>>();

function signingKey(ctx: EmulatorContext): Promise<SigningKey> {
  let key = keys.get(ctx);
  if (!key) {
    key = (async () => {
      const pair = await generateKeyPair("RS256", { extractable: true });
      const jwk = await exportJWK(pair.publicKey);
      const kid = createHash("sha256").update(JSON.stringify(jwk)).digest("base64url").slice(0, 16);
      return { privateKey: pair.privateKey, jwk: { ...jwk, kid, alg: "RS256", use: "sig" } };
    })();
    keys.set(ctx, key);
  }
  return key;
}

/** The public keys, as `/.well-known/jwks.json` serves them. */
export async function jwks(ctx: EmulatorContext): Promise<{ keys: JWK[] }> {
  return { keys: [(await signingKey(ctx)).jwk] };
}

/** `at_hash`: the left half of the access token's SHA-256, base64url (OpenID Core 3.1.3.6). */
const atHash = (accessToken: string) =>
  createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");

/** An ID token as authlib's OpenIDCode issues it: one hour, the user's claims by scope. */
export async function issueIdToken(
  ctx: EmulatorContext,
  input: {
    issuer: string;
    clientId: string;
    claims: Record<string, unknown>;
    accessToken: string;
    nonce: string | null;
    authTime: number;
  },
): Promise<string> {
  const key = await signingKey(ctx);
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  return new SignJWT({
    ...input.claims,
    auth_time: input.authTime,
    at_hash: atHash(input.accessToken),
    ...(input.nonce ? { nonce: input.nonce } : {}),
  })
    .setProtectedHeader({ alg: "RS256", kid: key.jwk.kid! })
    .setIssuer(input.issuer)
    .setAudience(input.clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(key.privateKey);
}
