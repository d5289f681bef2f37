// The Speakeasy MCP server that @polar-sh/sdk@0.32–0.36.2 shipped (bin `mcp`), from
// bench/server/legacy-sdk-mcp (its own package.json and lock, apart from the workspace, so
// the old SDK and the MCP SDK 1.9 it wants never reach the workspace's node_modules).
// Installed on first use as the conformance runner installs tools/mcp-conformance.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

export const LEGACY_DIR = fileURLToPath(new URL("./legacy-sdk-mcp/", import.meta.url));
const MODULES = join(LEGACY_DIR, "node_modules");
const SDK_DIR = join(MODULES, "@polar-sh", "sdk");
// Written after a successful `npm ci`: the lock it installed (npm ci removes it first).
const STAMP = join(MODULES, ".polar-mcp-installed-lock.sha256");

function run(
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error && typeof error.code !== "number") reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stderr });
      },
    );
  });
}

/** The `mcp` bin of the installed @polar-sh/sdk (its package.json `bin`), or undefined. */
function binPath(): string | undefined {
  const manifest = join(SDK_DIR, "package.json");
  if (!existsSync(manifest)) return undefined;
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
    version?: string;
    bin?: string | Record<string, string>;
  };
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.mcp;
  return bin && existsSync(join(SDK_DIR, bin)) ? join(SDK_DIR, bin) : undefined;
}

/**
 * Installs bench/server/legacy-sdk-mcp with `npm ci` unless node_modules already holds
 * exactly what the committed lock describes. Quiet; idempotent. Returns the `mcp` bin.
 */
export async function ensureLegacySdkInstalled(): Promise<string> {
  const lock = createHash("sha256")
    .update(readFileSync(join(LEGACY_DIR, "package-lock.json")))
    .digest("hex");
  const installed = existsSync(STAMP) ? readFileSync(STAMP, "utf8").trim() : "";
  const ready = binPath();
  if (installed === lock && ready) return ready;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const { code, stderr } = await run(
    npm,
    ["ci", "--prefix", LEGACY_DIR, "--no-audit", "--no-fund", "--loglevel=error"],
    170_000,
  );
  const bin = binPath();
  if (code !== 0 || !bin) {
    throw new Error(
      `npm ci --prefix bench/server/legacy-sdk-mcp failed (exit ${code}):\n${stderr}`,
    );
  }
  writeFileSync(STAMP, `${lock}\n`);
  return bin;
}

/**
 * Spawns `mcp start --access-token … --server-url …` with the current node over stdio and
 * returns its tools/list as the official MCP client receives it. The server URL is a
 * discard port: listing tools makes no request to the API.
 */
export async function legacySdkToolsList(accessToken: string): Promise<{
  tools: Tool[];
  version: string;
}> {
  const bin = await ensureLegacySdkInstalled();
  const { version } = JSON.parse(readFileSync(join(SDK_DIR, "package.json"), "utf8")) as {
    version: string;
  };
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, "start", "--access-token", accessToken, "--server-url", "http://127.0.0.1:9"],
    cwd: LEGACY_DIR,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: "bench", version: "1.0.0" });
  try {
    await client.connect(transport);
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined);
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return { tools, version };
  } catch (error) {
    throw new Error(`@polar-sh/sdk@${version} mcp start: ${String(error)}\n${stderr}`);
  } finally {
    await client.close();
  }
}
