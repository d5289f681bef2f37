// Where the seed's users run it: short-lived processes (their usage reaches Polar before a
// normal exit, with no flush() or close() in the script), no file in the working directory
// unless configured, and a state directory that cannot be written (one warning, memory).
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorWithCredits } from "./fixtures/emulator-setup.js";

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL("./fixtures/short-lived.ts", import.meta.url));
// tsx resolved here: the script runs with a working directory outside the repository.
const TSX = import.meta.resolve("tsx");
let polar: Awaited<ReturnType<typeof emulatorWithCredits>>;

beforeAll(async () => {
  polar = await emulatorWithCredits(1000);
});
afterAll(() => polar.running.close());

/** Runs the script to its natural end in a fresh working directory. */
async function shortLived(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), "paywall-cwd-"));
  const stateHome = mkdtempSync(join(tmpdir(), "paywall-state-"));
  const { stdout, stderr } = await run(
    process.execPath,
    ["--conditions=polar-mcp-source", "--import", TSX, SCRIPT],
    {
      cwd,
      env: { ...process.env, ...polar.workerEnv(), XDG_STATE_HOME: stateHome, CALLS: "3", ...env },
      timeout: 60_000,
    },
  );
  return { stdout: stdout.trim(), stderr, cwd, stateHome };
}

describe("short-lived processes", () => {
  it.each([
    ["the durable outbox (default)", {}],
    ["the in-memory outbox", { OUTBOX: ":memory:" }],
  ])("%s: usage reaches Polar before a normal exit", async (_, env) => {
    const before = (await polar.externalIds()).length;
    const { stdout, stderr, cwd, stateHome } = await shortLived(env);
    expect(stdout).toBe("license_key_valid license_key_valid license_key_valid");
    // The process has exited: whatever Polar holds now was shipped before it did.
    expect((await polar.externalIds()).length).toBe(before + 3);
    expect(readdirSync(cwd)).toEqual([]);
    expect(stderr).not.toContain("PolarPaywallWarning");
    if (!("OUTBOX" in env))
      expect(readdirSync(join(stateHome, "polar-paywall"))).toEqual([
        expect.stringMatching(/^outbox-[0-9a-f]+\.sqlite/),
      ]);
  });

  it("a state directory that cannot be written: one warning, usage kept in memory and shipped", async () => {
    const before = (await polar.externalIds()).length;
    // A path below a regular file can never be created (not even by root).
    const { stdout, stderr, cwd } = await shortLived({ XDG_STATE_HOME: "/dev/null/state" });
    expect(stdout).toBe("license_key_valid license_key_valid license_key_valid");
    expect(stderr.match(/PolarPaywallWarning/g)).toHaveLength(1);
    expect(stderr).toContain("usage outbox kept in memory");
    expect((await polar.externalIds()).length).toBe(before + 3);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
