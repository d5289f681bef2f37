// The official MCP conformance runner (server mode) against polar-mcp's Streamable HTTP
// server, with the emulator as Polar. Failures are compared with expected-failures.json:
// an unexpected failure fails, and so does an entry that passes now (stale).
// The runner needs Node >= 22: it is installed with its own Node 22 into
// tools/mcp-conformance on first use (`npm ci --prefix tools/mcp-conformance`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createEmulator, type Emulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servePolarMcp, type ServedPolarMcp } from "../../src/index.js";
import { EMULATOR_BASE_URL, emulatorFetch } from "../emulator.js";
import { loadSpec } from "../helpers.js";
import {
  compareWithExpected,
  ensureRunnerInstalled,
  runServerConformance,
  REQUIREMENT_SETS,
  TOOL_DIR,
  type ExpectedFailure,
  type RequirementSet,
  type ScenarioResult,
} from "./runner.js";

const EXPECTED = (
  JSON.parse(readFileSync(new URL("./expected-failures.json", import.meta.url), "utf8")) as {
    suites: Record<RequirementSet, ExpectedFailure[]>;
  }
).suites;

describe("MCP conformance runner (newest, both requirement sets) against the Streamable HTTP server", () => {
  let emulator: Emulator;
  let served: ServedPolarMcp;
  const results = new Map<RequirementSet, ScenarioResult[]>();
  let version: string;

  beforeAll(async () => {
    await ensureRunnerInstalled();
    emulator = createEmulator({ seed: "demo" });
    served = await servePolarMcp({
      transport: "http",
      port: 0,
      spec: loadSpec(),
      baseUrl: EMULATOR_BASE_URL,
      accessToken: emulator.seed?.accessToken as string,
      fetch: emulatorFetch(emulator),
      env: {},
    });
    for (const requirements of REQUIREMENT_SETS) {
      const run = await runServerConformance(served.url as string, requirements);
      results.set(requirements, run.results);
      version = run.version;
    }
  }, 600_000);
  afterAll(async () => {
    await served?.close();
    await emulator?.close();
  });

  it("the conformance runner that ran is the version pinned in tools/mcp-conformance's lockfile", () => {
    const lock = JSON.parse(readFileSync(join(TOOL_DIR, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version: string }>;
    };
    expect(version).toBe(lock.packages["node_modules/@modelcontextprotocol/conformance"]?.version);
  });

  for (const requirements of REQUIREMENT_SETS) {
    it(`${requirements}: fails only the expected scenarios, and every expected failure still fails`, () => {
      const { unexpected, stale } = compareWithExpected(
        results.get(requirements) ?? [],
        EXPECTED[requirements],
      );
      expect(unexpected, "unexpected failures").toEqual([]);
      expect(stale, "stale expected failures").toEqual([]);
    });
  }

  it("passes the protocol scenarios an API server must pass, in both eras", () => {
    const passed = (set: RequirementSet) =>
      new Set((results.get(set) ?? []).filter((r) => r.passed).map((r) => r.scenario));
    for (const scenario of [
      "server-initialize",
      "ping",
      "prompts-list",
      "dns-rebinding-protection",
    ])
      expect(passed("2025-11-25"), scenario).toContain(scenario);
    for (const scenario of [
      "http-header-validation",
      "input-required-result-unsupported-methods",
      "prompts-list",
      "dns-rebinding-protection",
    ])
      expect(passed("2026-07-28"), scenario).toContain(scenario);
  });
});

describe("comparison with the expected failures", () => {
  const failing = (scenario: string, errorMessage: string): ScenarioResult => ({
    scenario,
    passed: false,
    checks: [{ id: scenario, status: "FAILURE", errorMessage }],
  });
  const passing = (scenario: string): ScenarioResult => ({
    scenario,
    passed: true,
    checks: [{ id: scenario, status: "SUCCESS" }],
  });
  const entry = (scenario: string, failure: string): ExpectedFailure => ({
    scenario,
    reason: "test",
    failure,
  });

  it("accepts expected failures with their cause", () => {
    expect(
      compareWithExpected(
        [failing("resources-list", "Failed: MCP error -32601: Method not found"), passing("ping")],
        [entry("resources-list", "Method not found")],
      ),
    ).toEqual({ unexpected: [], stale: [] });
  });

  it("reports a failure that is not listed, or listed with another cause", () => {
    const { unexpected } = compareWithExpected(
      [failing("ping", "timeout"), failing("resources-list", "Internal error")],
      [entry("resources-list", "Method not found")],
    );
    expect(unexpected).toEqual([
      "ping: [ping] timeout",
      "resources-list fails for another cause: [resources-list] Internal error",
    ]);
  });

  it("reports an entry that passes now or did not run as stale", () => {
    const { stale } = compareWithExpected(
      [passing("tools-list")],
      [entry("tools-list", "missing description"), entry("gone", "x")],
    );
    expect(stale).toEqual([
      "tools-list passes now: remove it from expected-failures.json",
      "gone did not run: remove it from expected-failures.json",
    ]);
  });
});
