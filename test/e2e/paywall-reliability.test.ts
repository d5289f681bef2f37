// Paywall II's promises under failure, with real processes: a kill -9 loses and duplicates
// nothing; a Polar outage is handled as configured and the backlog drains honouring
// Retry-After. Counts and ordering are asserted, never durations; the test waits on what the
// worker reports, never on a clock.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emulatorWithCredits } from "./fixtures/emulator-setup.js";
import { startPolarProxy } from "./fixtures/polar-proxy.js";
import { startWorker } from "./fixtures/processes.js";

const tmp = () => mkdtempSync(join(tmpdir(), "paywall-reliability-"));

const counts = (ids: string[]) => {
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  return seen;
};

describe("paywall reliability (real processes)", () => {
  it(
    "kill -9 during 10,000 calls, restart, drain: one event per acknowledged call",
    { timeout: 180_000 },
    async () => {
      const polar = await emulatorWithCredits(20_000);
      const outbox = join(tmp(), "outbox.sqlite");
      const concurrency = 16;
      try {
        const worker = startWorker({
          ...polar.workerEnv(),
          OUTBOX: outbox,
          CALLS: "10000",
          CONCURRENCY: String(concurrency),
        });
        await worker.until(() => worker.acks.length >= 4000);
        worker.child.kill("SIGKILL");
        await worker.exited;
        const acknowledged = [...worker.acks];
        expect(acknowledged.length).toBeLessThan(10_000);

        const restarted = startWorker({ ...polar.workerEnv(), OUTBOX: outbox, MODE: "drain" });
        await restarted.until((line) => line === "drained");
        await restarted.exited;

        const inPolar = counts(await polar.externalIds());
        for (const id of acknowledged) expect(inPolar.get(id)).toBe(1);
        expect([...inPolar.values()].every((n) => n === 1)).toBe(true);
        // Calls committed to the outbox but killed before their answer reached the caller
        // are billed too (the tool ran): at most one per concurrent call.
        expect(inPolar.size - acknowledged.length).toBeGreaterThanOrEqual(0);
        expect(inPolar.size - acknowledged.length).toBeLessThanOrEqual(concurrency);
      } finally {
        await polar.running.close();
      }
    },
  );

  it(
    "Polar down under load (failMode closed) until cached validations expire and calls are refused, then back rate-limited: backlog drained honouring Retry-After, counts exact",
    { timeout: 180_000 },
    async () => {
      const polar = await emulatorWithCredits(100_000);
      const proxy = await startPolarProxy(polar.running.url);
      const dir = tmp();
      const stopFile = join(dir, "stop");
      try {
        const worker = startWorker({
          ...polar.workerEnv(proxy.url),
          OUTBOX: join(dir, "outbox.sqlite"),
          CALLS: "1000000",
          CONCURRENCY: "4",
          PAUSE_MS: "20",
          TTL_MS: "5000",
          REFRESH_AHEAD_MS: "2000",
          STOP_FILE: stopFile,
        });
        await worker.until(() => worker.acks.length >= 200);
        proxy.state.down = true;
        const acksAtOutage = worker.acks.length;
        // Closed: once the cached validation expired, calls are refused, not served unbilled.
        // Waited on: ten refusals reported by the worker (no fixed sleep).
        await worker.until(
          () => worker.denials.filter((code) => code === "license_key_error").length >= 10,
        );
        // Before that, the cached validation kept serving (and the outbox kept the usage).
        expect(worker.acks.length).toBeGreaterThan(acksAtOutage);
        expect(worker.denials.filter((code) => code !== "license_key_error")).toEqual([]);

        const beforeRecovery = worker.acks.length;
        proxy.state.limit = { perWindow: 3, windowMs: 1000 };
        // The first requests after the outage are refused whatever the timing, so the
        // Retry-After check below always has refusals to check.
        proxy.state.refuseNext = 2;
        proxy.state.down = false;
        await worker.until(() => worker.acks.length >= beforeRecovery + 200);
        writeFileSync(stopFile, "");
        await worker.until((line) => line === "drained");
        await worker.exited;
        expect(existsSync(stopFile)).toBe(true);

        const inPolar = counts(await polar.externalIds());
        expect(inPolar.size).toBe(worker.acks.length);
        for (const id of worker.acks) expect(inPolar.get(id)).toBe(1);

        // Retry-After honoured: after each 429, nothing came back before the time it named.
        const limited = proxy.records.filter((r) => r.status === 429);
        expect(limited.length).toBeGreaterThan(0);
        for (const refusal of limited) {
          const early = proxy.records.filter(
            (r) => r.at > refusal.at && r.at < refusal.at + refusal.retryAfterMs! - 50,
          );
          expect(early).toEqual([]);
        }
      } finally {
        await proxy.close();
        await polar.running.close();
      }
    },
  );
});
