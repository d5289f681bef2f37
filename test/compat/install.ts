// Installs one client folder of the compatibility matrix (test/compat/<client>/, its own
// package.json and lock with exact pins) on first use, as tools/mcp-conformance does: `npm ci`
// unless node_modules already holds exactly what the committed lock describes.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const COMPAT_DIR = fileURLToPath(new URL(".", import.meta.url));

/** The folder of one client of the matrix. */
export const clientDir = (client: string) => join(COMPAT_DIR, client);

function npmCi(dir: string): Promise<{ code: number; stderr: string }> {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  return new Promise((resolve, reject) => {
    execFile(
      npm,
      // Optional native binaries (Next's SWC, esbuild platforms) are not needed to import
      // route handlers or run the adapters; skipping them keeps the install small.
      ["ci", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", "--omit=optional"],
      { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error && typeof error.code !== "number") reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stderr });
      },
    );
  });
}

/** Installs `test/compat/<client>` unless its lock is already installed. Idempotent. */
export async function ensureClientInstalled(client: string): Promise<string> {
  const dir = clientDir(client);
  const lock = createHash("sha256")
    .update(readFileSync(join(dir, "package-lock.json")))
    .digest("hex");
  const stamp = join(dir, "node_modules", ".polar-mcp-installed-lock.sha256");
  const installed = existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : "";
  if (installed === lock) return dir;
  const { code, stderr } = await npmCi(dir);
  if (code !== 0)
    throw new Error(`npm ci --prefix test/compat/${client} failed (exit ${code}):\n${stderr}`);
  writeFileSync(stamp, `${lock}\n`);
  return dir;
}

/**
 * Imports `test/compat/<client>/entry.mjs`: the module that re-exports what a test drives,
 * resolved from that folder (its own node_modules with the pinned versions, never the
 * workspace's). Clients whose packages the test runner's `module` condition resolves to
 * builds Node cannot load run in a plain Node process instead (see ingestion.test.ts).
 */
export async function loadEntry<T>(client: string): Promise<T> {
  return (await import(
    /* @vite-ignore */ pathToFileURL(join(clientDir(client), "entry.mjs")).href
  )) as T;
}
