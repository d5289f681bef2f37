// The README's first command in a plain clone of this repository, with no sibling
// ../shared folder: `npm ci && npx polar-mcp demo --script`. Polar's document comes from
// POLAR_OPENAPI at a local URL standing in for Polar's, then from the cache it left.
// Slow: `npm ci` installs the workspace (better-sqlite3 builds); npm's cache is reused.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveOpenApiDocument } from "@polar-mcp/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, runOk, serveDocument, type DocumentServer } from "./install-helpers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
// Each step starts processes from an install: generous, as CI machines vary.
const STEP_TIMEOUT = 300_000;
const work = mkdtempSync(join(tmpdir(), "polar-mcp-clone-"));
const clone = join(work, "polar-mcp");
const cacheHome = join(work, "cache-home");
let documentServer: DocumentServer;

beforeAll(async () => {
  const documentFile = join(work, "document.json");
  writeFileSync(documentFile, JSON.stringify(await resolveOpenApiDocument()));
  documentServer = await serveDocument(documentFile);
  await runOk("git", ["clone", "--quiet", root, clone], { cwd: work });
  await runOk("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: clone,
    timeoutMs: 2_400_000,
  });
}, 3_000_000);

afterAll(async () => {
  await documentServer?.close();
  rmSync(work, { recursive: true, force: true });
}, 600_000);

describe("a clone without ../shared", () => {
  it(
    "has no sibling shared folder and no document in the tree",
    () => {
      expect(existsSync(join(clone, "../shared"))).toBe(false);
      expect(existsSync(join(clone, "packages/openapi/data"))).toBe(false);
    },
    STEP_TIMEOUT,
  );

  it(
    "npx polar-mcp demo --script with POLAR_OPENAPI at a URL",
    async () => {
      const result = await run("npx", ["polar-mcp", "demo", "--script"], {
        cwd: clone,
        env: { POLAR_OPENAPI: documentServer.url, XDG_CACHE_HOME: cacheHome },
      });
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        "✓ access restored: the paid tool answers again after the purchase",
      );
      expect(documentServer.requests.length).toBeGreaterThan(0);
    },
    STEP_TIMEOUT,
  );

  it(
    "then with no setting at all: the cached copy serves, nothing is fetched",
    async () => {
      const before = documentServer.requests.length;
      const result = await run("npx", ["polar-mcp", "demo", "--script"], {
        cwd: clone,
        env: { POLAR_OPENAPI: undefined, XDG_CACHE_HOME: cacheHome },
      });
      expect(result.code).toBe(0);
      expect(documentServer.requests.length).toBe(before);
    },
    STEP_TIMEOUT,
  );
});
