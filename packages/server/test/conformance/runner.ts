// The MCP conformance runner (@modelcontextprotocol/conformance, server mode), run with
// the Node 22 it needs from tools/mcp-conformance (its own package.json and lock, apart
// from the workspace so that no npm script gets a Node 22 first on its PATH).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const TOOL_DIR = fileURLToPath(
  new URL("../../../../tools/mcp-conformance/", import.meta.url),
);
const MODULES = join(TOOL_DIR, "node_modules");
const NODE_22 = join(MODULES, "node", "bin", "node");
const CLI = join(MODULES, "@modelcontextprotocol", "conformance", "dist", "index.js");
// Written after a successful `npm ci`: the lock it installed (npm ci removes it first).
const STAMP = join(MODULES, ".polar-mcp-installed-lock.sha256");

function run(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * Installs the runner and Node 22 with `npm ci` unless node_modules already holds exactly
 * what the committed lock describes. Quiet; idempotent.
 */
export async function ensureRunnerInstalled(): Promise<void> {
  const lock = createHash("sha256")
    .update(readFileSync(join(TOOL_DIR, "package-lock.json")))
    .digest("hex");
  const installed = existsSync(STAMP) ? readFileSync(STAMP, "utf8").trim() : "";
  if (installed === lock && existsSync(NODE_22) && existsSync(CLI)) return;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const { code, stderr } = await run(
    npm,
    ["ci", "--prefix", TOOL_DIR, "--no-audit", "--no-fund", "--loglevel=error"],
    { timeoutMs: 170_000 },
  );
  if (code !== 0 || !existsSync(NODE_22) || !existsSync(CLI)) {
    throw new Error(`npm ci --prefix tools/mcp-conformance failed (exit ${code}):\n${stderr}`);
  }
  writeFileSync(STAMP, `${lock}\n`);
}

export type CheckStatus = "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | "SKIPPED";
export interface ConformanceCheck {
  id: string;
  status: CheckStatus;
  description?: string;
  errorMessage?: string;
}
/** One scenario's outcome: failed when any of its checks is a FAILURE (as the runner counts). */
export interface ScenarioResult {
  scenario: string;
  passed: boolean;
  checks: ConformanceCheck[];
}

/** The requirement sets run: exactly the scenarios each protocol revision requires. */
export const REQUIREMENT_SETS = ["2026-07-28", "2025-11-25"] as const;
export type RequirementSet = (typeof REQUIREMENT_SETS)[number];

/**
 * Runs the server scenarios one protocol revision requires (`--requirements`, frozen at its
 * release) against `url`; returns every scenario's checks.
 */
export async function runServerConformance(
  url: string,
  requirements: RequirementSet,
): Promise<{
  results: ScenarioResult[];
  version: string;
  stdout: string;
}> {
  const out = mkdtempSync(join(tmpdir(), "mcp-conformance-"));
  try {
    const version = (await run(NODE_22, [CLI, "--version"], { timeoutMs: 20_000 })).stdout.trim();
    // Exit code 1 only says that some scenario failed; the checks say which.
    const { stdout, stderr } = await run(
      NODE_22,
      [CLI, "server", "--url", url, "--requirements", requirements, "-o", out],
      { cwd: out, timeoutMs: 240_000 },
    );
    const results = readResults(out);
    if (results.length === 0) {
      throw new Error(`The conformance runner produced no results.\n${stdout}\n${stderr}`);
    }
    return { results, version, stdout };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// Results land in <out>/server-<scenario>-<ISO timestamp with dashes>/checks.json.
function readResults(out: string): ScenarioResult[] {
  const results: ScenarioResult[] = [];
  for (const dir of readdirSync(out).sort()) {
    const match = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/.exec(dir);
    if (!match?.[1]) continue;
    const checks = JSON.parse(
      readFileSync(join(out, dir, "checks.json"), "utf8"),
    ) as ConformanceCheck[];
    results.push({
      scenario: match[1],
      passed: !checks.some((c) => c.status === "FAILURE"),
      checks,
    });
  }
  return results;
}

/** An entry of expected-failures.json. */
export interface ExpectedFailure {
  scenario: string;
  /** Why this server fails it. */
  reason: string;
  /** Every failing check's message must match this (so a new cause is not masked). */
  failure: string;
}

export interface Comparison {
  /** Failed and not expected, or failed for another cause than the entry's. */
  unexpected: string[];
  /** Expected to fail but passed, or did not run: remove the entry. */
  stale: string[];
}

/** Compares the runner's results with the expected failures. */
export function compareWithExpected(
  results: readonly ScenarioResult[],
  expected: readonly ExpectedFailure[],
): Comparison {
  const entries = new Map(expected.map((e) => [e.scenario, e]));
  const unexpected: string[] = [];
  const stale: string[] = [];
  for (const result of results) {
    const entry = entries.get(result.scenario);
    const failures = result.checks.filter((c) => c.status === "FAILURE");
    if (!entry) {
      if (!result.passed) unexpected.push(`${result.scenario}: ${messages(failures)}`);
      continue;
    }
    if (result.passed) {
      stale.push(`${result.scenario} passes now: remove it from expected-failures.json`);
      continue;
    }
    const cause = new RegExp(entry.failure);
    const other = failures.filter((c) => !cause.test(c.errorMessage ?? ""));
    if (other.length > 0) {
      unexpected.push(`${result.scenario} fails for another cause: ${messages(other)}`);
    }
  }
  const ran = new Set(results.map((r) => r.scenario));
  for (const entry of expected) {
    if (!ran.has(entry.scenario)) {
      stale.push(`${entry.scenario} did not run: remove it from expected-failures.json`);
    }
  }
  return { unexpected, stale };
}

function messages(checks: ConformanceCheck[]): string {
  return checks.map((c) => `[${c.id}] ${c.errorMessage ?? c.description ?? ""}`).join("; ");
}
