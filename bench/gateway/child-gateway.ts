// Bench child: a gateway (SQLite file registry, or PostgreSQL with BENCH_DATABASE_URL)
// with one account and one server against the emulator; prints the server's URL.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdminClient, startGateway } from "../../packages/gateway/src/index.js";

const adminKey = randomBytes(24).toString("base64url");
const unlimited = { limit: 1_000_000_000, windowSeconds: 60 };
const running = await startGateway({
  port: 0,
  adminKey,
  encryptionKey: randomBytes(32).toString("base64"),
  spec: process.env.BENCH_SPEC!,
  rateLimits: { server: unlimited, account: unlimited },
  ...(process.env.BENCH_DATABASE_URL
    ? { databaseUrl: process.env.BENCH_DATABASE_URL }
    : { db: join(mkdtempSync(join(tmpdir(), "gateway-bench-")), "registry.sqlite") }),
});
const admin = createAdminClient({ url: running.url, adminKey });
const account = await admin.createAccount({
  name: "bench",
  access_token: process.env.BENCH_TOKEN!,
  base_url: process.env.BENCH_EMULATOR_URL!,
});
const server = await admin.createServer(String(account.id), { name: "bench" });
process.stdout.write(`${JSON.stringify({ url: server.url, seed: null })}\n`);
