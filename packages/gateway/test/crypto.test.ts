import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashSecret, newSecret, secretMatches } from "../src/crypto/secrets.js";
import {
  createCredentialCipher,
  createGateway,
  GatewayError,
  parseEncryptionKey,
} from "../src/index.js";
import { ADMIN_KEY, ENCRYPTION_KEY } from "./helpers/world.js";

describe("secrets", () => {
  it("are 32 random bytes in base64url, stored as SHA-256 and matched in constant time", () => {
    const secret = newSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
    expect(secretMatches(`${secret}x`, hashSecret(secret))).toBe(false);
    expect(secretMatches(secret, "short")).toBe(false);
  });
});

describe("credential encryption", () => {
  it("seals with AES-256-GCM: a fresh IV each time, the plaintext nowhere in the output", () => {
    const cipher = createCredentialCipher(parseEncryptionKey(ENCRYPTION_KEY));
    const a = cipher.encrypt("polar_oat_secret");
    const b = cipher.encrypt("polar_oat_secret");
    expect(a).not.toBe(b);
    expect(a).not.toContain("polar_oat_secret");
    expect(cipher.decrypt(a)).toBe("polar_oat_secret");
  });

  it("accepts base64 and hex keys, and says what to do when the key is missing or wrong", () => {
    const raw = randomBytes(32);
    expect(parseEncryptionKey(raw.toString("hex")).equals(raw)).toBe(true);
    expect(parseEncryptionKey(raw.toString("base64")).equals(raw)).toBe(true);
    expect(() => parseEncryptionKey(undefined)).toThrow(
      /POLAR_MCP_ENCRYPTION_KEY is not set.*openssl rand -base64 32/,
    );
    expect(() => parseEncryptionKey(randomBytes(16).toString("base64"))).toThrow(
      /must be 32 bytes.*decodes to 16 bytes/,
    );
  });

  it("fails clearly when decrypting with another key, and on tampering", () => {
    const sealed = createCredentialCipher(randomBytes(32)).encrypt("polar_oat_secret");
    const other = createCredentialCipher(randomBytes(32));
    expect(() => other.decrypt(sealed)).toThrow(/sealed with key "k[0-9a-f]{8}", which is not in/);
    // Same key id, another key: the value does not open with the key it names.
    const renamed = createCredentialCipher([{ id: "x", key: randomBytes(32) }]);
    const impostor = createCredentialCipher([{ id: "x", key: randomBytes(32) }]);
    expect(() => impostor.decrypt(renamed.encrypt("t"))).toThrow(
      /differs from the one it was stored with/,
    );
    const own = createCredentialCipher(parseEncryptionKey(ENCRYPTION_KEY));
    const parts = own.encrypt("x").split(".");
    parts[3] = Buffer.from("y").toString("base64url");
    expect(() => own.decrypt(parts.join("."))).toThrow(GatewayError);
  });
});

describe("createGateway keys", () => {
  it("refuses to start without an admin key or an encryption key", async () => {
    await expect(
      createGateway({ db: ":memory:", env: {}, encryptionKey: ENCRYPTION_KEY }),
    ).rejects.toMatchObject({
      code: "missing_admin_key",
    });
    await expect(
      createGateway({ db: ":memory:", env: {}, adminKey: "short", encryptionKey: ENCRYPTION_KEY }),
    ).rejects.toMatchObject({
      code: "invalid_admin_key",
    });
    await expect(
      createGateway({ db: ":memory:", env: {}, adminKey: ADMIN_KEY }),
    ).rejects.toMatchObject({
      code: "missing_encryption_key",
    });
  });

  it("reads both keys from the environment", async () => {
    const gateway = await createGateway({
      db: ":memory:",
      env: { POLAR_MCP_ADMIN_KEY: ADMIN_KEY, POLAR_MCP_ENCRYPTION_KEY: ENCRYPTION_KEY },
    });
    const res = await gateway.fetch(
      new Request("http://gw/admin/accounts", {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      }),
    );
    expect(res.status).toBe(200);
    await gateway.close();
  });
});

describe("the registry never holds a plaintext token", () => {
  it("stores the credential sealed and the URL as a hash", async () => {
    const gateway = await createGateway({
      db: ":memory:",
      env: {},
      adminKey: ADMIN_KEY,
      encryptionKey: ENCRYPTION_KEY,
    });
    const headers = { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" };
    const created = await gateway.fetch(
      new Request("http://gw/admin/accounts", {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "A", access_token: "polar_oat_plaintext_token" }),
      }),
    );
    const account = (await created.json()) as { id: string };
    const stored = await gateway.registry.getAccount(account.id);
    expect(stored?.credentialCiphertext).toMatch(/^v2\.k[0-9a-f]{8}\./);
    expect(JSON.stringify(stored)).not.toContain("polar_oat_plaintext_token");
    await gateway.close();
  });
});
