// A static check over the test sources (it runs no export): every function the emulator,
// server, paywall (each subpath entry too), gateway and CLI export from their public entry is called in at least one test file that
// imports it through that entry (`@polar-mcp/<name>[/<subpath>]`, `polar-mcp`, or a relative
// path to the file that entry resolves to, e.g. the package's own `src/index.js`). An export no test calls is listed by name in the failure.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Exports no test calls through the entry yet (issue 21's remaining debt), named so the
 * check can run today. The check fails when an export not listed here is uncalled, and when
 * a listed one becomes called (then remove it), so the list stays exact.
 */
const NOT_YET_CALLED: Record<string, readonly string[]> = {
  "@polar-mcp/emulator": [],
  "@polar-mcp/server": [],
  "@polar-mcp/paywall": [],
  "@polar-mcp/paywall/mcp-sdk": [],
  "@polar-mcp/paywall/mcp-server": [],
  "@polar-mcp/paywall/fastmcp": [],
  "@polar-mcp/paywall/xmcp": [],
  "@polar-mcp/paywall/demo": [],
  "@polar-mcp/paywall/proxy": [],
  "@polar-mcp/gateway": [],
  "polar-mcp": [],
};

const PACKAGES = [
  { name: "@polar-mcp/emulator", folder: "packages/emulator" },
  { name: "@polar-mcp/server", folder: "packages/server" },
  { name: "@polar-mcp/paywall", folder: "packages/paywall" },
  { name: "@polar-mcp/paywall/mcp-sdk", folder: "packages/paywall" },
  { name: "@polar-mcp/paywall/mcp-server", folder: "packages/paywall" },
  { name: "@polar-mcp/paywall/fastmcp", folder: "packages/paywall" },
  { name: "@polar-mcp/paywall/xmcp", folder: "packages/paywall" },
  { name: "@polar-mcp/paywall/demo", folder: "packages/paywall" },
  { name: "@polar-mcp/paywall/proxy", folder: "packages/paywall" },
  { name: "@polar-mcp/gateway", folder: "packages/gateway" },
  { name: "polar-mcp", folder: "packages/cli" },
] as const;

function testSources(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder)) {
    if (entry === "node_modules" || entry === "fixtures-out") continue;
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) found.push(...testSources(path));
    else if (/\.tsx?$/.test(entry)) found.push(path);
  }
  return found;
}

const SOURCES = [
  ...new Set([...PACKAGES.map((p) => join(ROOT, p.folder, "test")), join(ROOT, "test")]),
].flatMap((folder) =>
  testSources(folder).map((path) => ({ path, text: readFileSync(path, "utf8") })),
);

/** The source file an entry resolves to (the `polar-mcp-source` condition of its export). */
function entrySource(pkg: (typeof PACKAGES)[number]): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, pkg.folder, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, Record<string, string>>;
  };
  const subpath = pkg.name === manifest.name ? "." : `.${pkg.name.slice(manifest.name.length)}`;
  const source = manifest.exports[subpath]?.["polar-mcp-source"];
  if (!source) throw new Error(`${pkg.name} has no polar-mcp-source export`);
  return join(ROOT, pkg.folder, source);
}

/**
 * Whether `text` imports from the package's public entry: by its name, or by a relative path
 * to the very file the entry resolves to (the package's own tests import `../src/index.js`).
 */
function importsEntry(text: string, path: string, pkg: (typeof PACKAGES)[number]): boolean {
  if (text.includes(`"${pkg.name}"`)) return true;
  const entry = entrySource(pkg);
  for (const [, specifier] of text.matchAll(/from "(\.{1,2}\/[^"]+)"/g)) {
    const target = join(dirname(path), specifier as string).replace(/\.js$/, ".ts");
    if (target === entry) return true;
  }
  return false;
}

/**
 * Called or constructed, or a static method of it called (`PolarProvider.getInstance(`); an
 * error class also counts when a test checks a thrown value is one.
 */
function called(text: string, name: string): boolean {
  if (new RegExp(`(?<![\\w.])(new\\s+)?${name}(<[^>]*>)?\\(`).test(text)) return true;
  if (new RegExp(`(?<![\\w.])${name}\\.\\w+\\(`).test(text)) return true;
  return new RegExp(
    `(instanceof\\s+${name}\\b|toBeInstanceOf\\(${name}\\)|toThrow\\(${name}\\))`,
  ).test(text);
}

describe("every exported function is called by a test through the public entry (static check of test sources)", () => {
  for (const pkg of PACKAGES) {
    it(`${pkg.name}: every exported function outside NOT_YET_CALLED is called, and every one listed there is not`, async () => {
      const mod = (await import(pkg.name)) as Record<string, unknown>;
      const functions = Object.keys(mod).filter((key) => typeof mod[key] === "function");
      expect(functions.length).toBeGreaterThan(0);
      const uncalled = functions.filter(
        (name) =>
          !SOURCES.some(({ path, text }) => importsEntry(text, path, pkg) && called(text, name)),
      );
      expect(uncalled.sort()).toEqual([...(NOT_YET_CALLED[pkg.name] ?? [])].sort());
    });
  }
});
