// Bench child: a gateway (SQLite file registry, or PostgreSQL with BENCH_DATABASE_URL)
// against the emulator, with a registry as large as a platform's (BENCH_ACCOUNTS accounts
// and BENCH_SERVERS servers, default 1,000 and 10,000, written straight to the registry);
// the measured server is one more, created through the admin API. Prints its URL.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createAdminClient,
  createCredentialCipher,
  parseEncryptionKey,
  startGateway,
} from "../../packages/gateway/src/index.js";
import { hashSecret } from "../../packages/gateway/src/crypto/secrets.js";

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000);
const SERVERS = Number(process.env.BENCH_SERVERS ?? 10_000);
const adminKey = randomBytes(24).toString("base64url");
const encryptionKey = randomBytes(32).toString("base64");
const unlimited = { limit: 1_000_000_000, windowSeconds: 60 };
const running = await startGateway({
  port: 0,
  adminKey,
  encryptionKey,
  spec: process.env.BENCH_SPEC!,
  rateLimits: { server: unlimited, account: unlimited, protocol: unlimited },
  ...(process.env.BENCH_DATABASE_URL
    ? { databaseUrl: process.env.BENCH_DATABASE_URL }
    : { db: join(mkdtempSync(join(tmpdir(), "gateway-bench-")), "registry.sqlite") }),
});

const { registry } = running.gateway;
const cipher = createCredentialCipher(parseEncryptionKey(encryptionKey));
const at = new Date().toISOString();
const accountIds = Array.from({ length: ACCOUNTS }, (_, i) => `acc_bench${i}`);
for (let i = 0; i < ACCOUNTS; i += 100) {
  await Promise.all(
    accountIds.slice(i, i + 100).map((id) =>
      registry.createAccount({
        id,
        name: id,
        environment: "custom",
        baseUrl: process.env.BENCH_EMULATOR_URL!,
        credentialCiphertext: cipher.encrypt(`polar_oat_${id}`),
        createdAt: at,
      }),
    ),
  );
}
for (let i = 0; i < SERVERS; i += 200) {
  await Promise.all(
    Array.from({ length: Math.min(200, SERVERS - i) }, (_, j) =>
      registry.createServer({
        id: `mcp_bench${i + j}`,
        accountId: accountIds[(i + j) % ACCOUNTS]!,
        name: "filler",
        config: { tags: ["customers"], readOnly: true },
        expiresAt: null,
        requireApiTokenAuth: false,
        status: "active",
        tokenHash: hashSecret(randomBytes(32).toString("base64url")),
        createdAt: at,
        updatedAt: at,
      }),
    ),
  );
}

const admin = createAdminClient({ url: running.url, adminKey });
const account = await admin.createAccount({
  name: "bench",
  access_token: process.env.BENCH_TOKEN!,
  base_url: process.env.BENCH_EMULATOR_URL!,
});
const server = await admin.createServer(String(account.id), { name: "bench" });
process.stdout.write(`${JSON.stringify({ url: server.url, seed: null })}\n`);
