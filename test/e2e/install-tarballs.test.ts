// Installs polar-mcp as a user would: `npm pack` every package, install the tarballs into an
// empty project, then run `npx polar-mcp demo --script` and a script importing
// PolarProvider and startEmulator there. Polar's document URL is stood in for by a local
// HTTP server (POLAR_OPENAPI); then that server is stopped (the cache serves), and the cache
// emptied (the clear error). Slow: the install builds better-sqlite3; npm's cache is reused.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveOpenApiDocument } from "@polar-mcp/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, runOk, serveDocument, type DocumentServer } from "./install-helpers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
// Each step starts processes from an install: generous, as CI machines vary.
const STEP_TIMEOUT = 300_000;
const PACKAGES = ["openapi", "emulator", "server", "paywall", "gateway", "cli"];
const NAMES: Record<string, string> = {
  openapi: "@polar-mcp/openapi",
  emulator: "@polar-mcp/emulator",
  server: "@polar-mcp/server",
  paywall: "@polar-mcp/paywall",
  gateway: "@polar-mcp/gateway",
  cli: "polar-mcp",
};
const work = mkdtempSync(join(tmpdir(), "polar-mcp-install-"));
const packs = join(work, "packs");
const project = join(work, "project");
const tarballs: Record<string, string> = {};
let documentServer: DocumentServer;

/** The environment of a user's shell: no POLAR_OPENAPI unless given, a cache of its own. */
function userEnv(cacheHome: string, extra: Record<string, string> = {}) {
  return { POLAR_OPENAPI: undefined, XDG_CACHE_HOME: cacheHome, ...extra };
}

const CHECK_SCRIPT = `
import { startEmulator } from "@polar-mcp/emulator";
import { PolarProvider } from "@polar-mcp/paywall";

const emulator = await startEmulator({ seed: "demo" });
const seed = emulator.seed;
const polar = PolarProvider.getInstance({
  token: seed.accessToken,
  organizationId: seed.organizationId,
  productId: seed.creditsProductId ?? seed.productId,
  baseUrl: emulator.url,
  outbox: ":memory:",
});
const good = await polar.validateLicenseKey(seed.licenseKey, { name: "fortune" });
const bad = await polar.validateLicenseKey("NOT-A-KEY", { name: "fortune" });
await polar.close();
await emulator.close();
console.log(JSON.stringify({ good: good.code, bad: bad.code }));
`;

const TYPES_SOURCE = `
import { PolarProvider, type ValidateLicenseKeyResult } from "@polar-mcp/paywall";
import { paidTool } from "@polar-mcp/paywall/mcp-sdk";
import { startDemo } from "@polar-mcp/paywall/demo";
import { createEmulator, startEmulator } from "@polar-mcp/emulator";
import { createPolarMcpServer, loadOpenApiDocument } from "@polar-mcp/server";
import { startGateway } from "@polar-mcp/gateway";
import { resolveOpenApiDocument } from "@polar-mcp/openapi";
import { runCli } from "polar-mcp";

export const used = [PolarProvider, paidTool, startDemo, createEmulator, startEmulator,
  createPolarMcpServer, loadOpenApiDocument, startGateway, resolveOpenApiDocument, runCli];
export type Result = ValidateLicenseKeyResult;
`;

beforeAll(async () => {
  mkdirSync(packs);
  mkdirSync(project);
  // The document the build places into @polar-mcp/openapi, and the local server's copy.
  const documentFile = join(work, "2026-10.openapi.json");
  writeFileSync(documentFile, JSON.stringify(await resolveOpenApiDocument()));
  await runOk("npm", ["run", "build"], { cwd: root, env: { POLAR_OPENAPI: documentFile } });
  await runOk(
    "npm",
    ["pack", "--pack-destination", packs, ...PACKAGES.flatMap((p) => ["-w", `packages/${p}`])],
    { cwd: root },
  );
  for (const file of readdirSync(packs)) {
    const name = PACKAGES.find((p) =>
      file.startsWith(p === "cli" ? "polar-mcp-0" : `polar-mcp-${p}-`),
    );
    if (name) tarballs[name] = join(packs, file);
  }
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "a-user-project",
      private: true,
      type: "module",
      dependencies: Object.fromEntries(PACKAGES.map((p) => [NAMES[p], `file:${tarballs[p]}`])),
    }),
  );
  await runOk("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: project,
    timeoutMs: 2_400_000,
  });
  writeFileSync(join(project, "check.mjs"), CHECK_SCRIPT);
  documentServer = await serveDocument(documentFile);
}, 3_000_000);

afterAll(async () => {
  await documentServer?.close();
  rmSync(work, { recursive: true, force: true });
}, 600_000);

describe("the published tarballs", () => {
  it(
    "are one per package, each with its LICENSE, and @polar-mcp/openapi carries the document with its NOTICE",
    async () => {
      expect(Object.keys(tarballs).sort()).toEqual([...PACKAGES].sort());
      for (const name of PACKAGES) {
        const { stdout } = await runOk("tar", ["-tzf", tarballs[name] ?? ""], { cwd: work });
        const files = stdout.split("\n").filter(Boolean);
        expect(files).toContain("package/LICENSE");
        expect(files).toContain("package/dist/index.js");
        expect(files).toContain("package/dist/index.d.ts");
        expect(files.filter((f) => /^package\/(src|test)\//.test(f))).toEqual([]);
      }
      const { stdout } = await runOk("tar", ["-tzf", tarballs.openapi ?? ""], { cwd: work });
      expect(stdout).toContain("package/data/2026-10.openapi.json");
      expect(stdout).toContain("package/NOTICE");
    },
    STEP_TIMEOUT,
  );

  it(
    "install without tsx: the CLI runs its build",
    () => {
      expect(existsSync(join(project, "node_modules/polar-mcp/dist/main.js"))).toBe(true);
      expect(existsSync(join(project, "node_modules/tsx"))).toBe(false);
    },
    STEP_TIMEOUT,
  );

  it(
    "type-check in a consumer: skipLibCheck false under nodenext and bundler, and our types resolved under node10",
    async () => {
      writeFileSync(join(project, "types.ts"), TYPES_SOURCE);
      const tsc = join(root, "node_modules/typescript/bin/tsc");
      // nodenext and bundler: every declaration file checked (skipLibCheck false). node10
      // (CommonJS projects, e.g. create-xmcp-app's): our main/types/typesVersions must resolve
      // (a failure shows in types.ts itself); @polar-sh/sdk's own subpath declarations are not
      // reachable under node10, so that run skips library checks, with esModuleInterop as
      // those templates set it.
      const settings = [
        ["--skipLibCheck", "false", "--module", "nodenext", "--moduleResolution", "nodenext"],
        ["--skipLibCheck", "false", "--module", "esnext", "--moduleResolution", "bundler"],
        [
          "--skipLibCheck",
          "true",
          "--esModuleInterop",
          "--module",
          "commonjs",
          "--moduleResolution",
          "node10",
        ],
      ];
      for (const flags of settings) {
        const result = await run(
          process.execPath,
          [tsc, "--noEmit", "--strict", "--target", "es2022", ...flags, "types.ts"],
          { cwd: project },
        );
        expect({ flags: flags.join(" "), output: result.stdout + result.stderr }).toEqual({
          flags: flags.join(" "),
          output: "",
        });
      }
    },
    STEP_TIMEOUT,
  );
});

describe("Polar's document, installed like a user", () => {
  const cacheHome = join(work, "cache-home");

  it(
    "POLAR_OPENAPI at a URL: `npx polar-mcp demo --script` runs the whole story and caches the document",
    async () => {
      const result = await run("npx", ["polar-mcp", "demo", "--script"], {
        cwd: project,
        env: userEnv(cacheHome, { POLAR_OPENAPI: documentServer.url }),
      });
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        "✓ access restored: the paid tool answers again after the purchase",
      );
      expect(documentServer.requests.length).toBeGreaterThan(0);
      expect(existsSync(join(cacheHome, "polar-mcp/openapi/2026-10.openapi.json"))).toBe(true);
    },
    STEP_TIMEOUT,
  );

  it(
    "a script importing PolarProvider and startEmulator",
    async () => {
      const before = documentServer.requests.length;
      const result = await runOk("node", ["check.mjs"], {
        cwd: project,
        env: userEnv(cacheHome, { POLAR_OPENAPI: documentServer.url }),
      });
      expect(JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "")).toEqual({
        good: "license_key_valid",
        bad: "license_key_not_granted",
      });
      expect(documentServer.requests.length).toBeGreaterThan(before);
    },
    STEP_TIMEOUT,
  );

  it(
    "with no setting the shipped copy serves: nothing is fetched or cached",
    async () => {
      const emptyCache = join(work, "cache-unused");
      const result = await runOk("node", ["check.mjs"], { cwd: project, env: userEnv(emptyCache) });
      expect(result.stdout).toContain("license_key_valid");
      expect(existsSync(emptyCache)).toBe(false);
    },
    STEP_TIMEOUT,
  );

  it(
    "with the URL's server stopped, the cached copy serves, and says so",
    async () => {
      const url = documentServer.url;
      await documentServer.close();
      const result = await run("npx", ["polar-mcp", "demo", "--script"], {
        cwd: project,
        env: userEnv(cacheHome, { POLAR_OPENAPI: url }),
      });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/ECONNREFUSED.*using the cached copy/);
    },
    STEP_TIMEOUT,
  );

  it(
    "with the server stopped and an empty cache: a non-zero exit and one clear message",
    async () => {
      const url = documentServer.url;
      const emptyCache = join(work, "cache-empty");
      const result = await run("npx", ["polar-mcp", "demo", "--script"], {
        cwd: project,
        env: userEnv(emptyCache, { POLAR_OPENAPI: url }),
      });
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe("");
      const message = result.stderr.trim();
      expect(message.split("\n")).toHaveLength(1);
      expect(message).toContain("POLAR_OPENAPI");
      expect(message).toContain("--spec");
      expect(message).toContain(url);
      expect(message).not.toMatch(/\bat .*\.js:\d+/);
    },
    STEP_TIMEOUT,
  );
});
