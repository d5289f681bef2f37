// Scale-out: replicas sharing Redis reserve against one balance. Four server processes,
// one customer with 100 credits, 1,000 concurrent calls: exactly 100 succeed — never more
// (the documented bound is 0 extra for fixed-cost tools) and never fewer (a call refused
// with license_key_error while credits remain is a failure too) — and Polar holds exactly
// one event per success.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorWithCredits } from "./fixtures/emulator-setup.js";
import { startRedis, startWorker } from "./fixtures/processes.js";

describe("paywall with Redis (real processes, real Redis)", () => {
  it(
    "4 processes, 100 credits, 1,000 concurrent calls: exactly 100 served, the rest out of credits",
    { timeout: 120_000 },
    async () => {
      const redis = await startRedis();
      const polar = await emulatorWithCredits(0);
      const dir = mkdtempSync(join(tmpdir(), "paywall-redis-"));
      try {
        const workers = Array.from({ length: 4 }, (_, i) =>
          startWorker({
            ...polar.workerEnv(),
            REDIS_URL: redis.url,
            OUTBOX: join(dir, `outbox-${i}.sqlite`),
            CALLS: "250",
            CONCURRENCY: "250",
          }),
        );
        await Promise.all(workers.map((w) => w.until((line) => line === "drained")));
        await Promise.all(workers.map((w) => w.exited));
        const acks = workers.flatMap((w) => w.acks);
        const denials = workers.flatMap((w) => w.denials);
        expect(acks.length + denials.length).toBe(1000);
        expect(acks.length).toBe(100);
        expect(denials.filter((code) => code !== "meter_credit_exhausted")).toEqual([]);
        const inPolar = await polar.externalIds();
        expect(inPolar.length).toBe(acks.length);
        expect(new Set(inPolar)).toEqual(new Set(acks));
      } finally {
        await polar.running.close();
        await redis.stop();
      }
    },
  );
});
