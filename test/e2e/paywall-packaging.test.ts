// The provider as users install it: the packed tarball alone in an empty project. At most
// 10 packages, none with an install script (no native build); the frameworks, SQLite and
// Redis stay optional peers. Types resolve under node10, node16 and bundler resolution.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { packPaywall, ROOT } from "./fixtures/xmcp-app.js";

const run = promisify(execFile);
let project: string;

beforeAll(async () => {
  const tarball = await packPaywall();
  project = mkdtempSync(join(tmpdir(), "paywall-install-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true }));
  await run("npm", ["install", "--no-audit", "--no-fund", tarball], {
    cwd: project,
    timeout: 300_000,
  });
}, 600_000);

interface LockedPackage {
  hasInstallScript?: boolean;
  peer?: boolean;
}

describe("@polar-mcp/paywall installed alone", () => {
  it("brings at most 10 packages and no install script (no native build)", async () => {
    const lock = JSON.parse(
      readFileSync(join(project, "node_modules/.package-lock.json"), "utf8"),
    ) as { packages: Record<string, LockedPackage> };
    const installed = Object.keys(lock.packages).filter((path) => path.startsWith("node_modules/"));
    const withScripts = installed.filter((path) => lock.packages[path]!.hasInstallScript);
    const { stdout } = await run("du", ["-sk", join(project, "node_modules")]);
    // The figure the README states (measured, not asserted).
    console.log(
      `paywall install: ${installed.length} packages (${installed.join(", ")}), ${Math.round(Number(stdout.split("\t")[0]) / 1024)} MB`,
    );
    expect(installed.length).toBeLessThanOrEqual(10);
    expect(installed).toContain("node_modules/@polar-mcp/paywall");
    expect(withScripts).toEqual([]);
    for (const optional of [
      "better-sqlite3",
      "ioredis",
      "@modelcontextprotocol/sdk",
      "fastmcp",
      "xmcp",
    ])
      expect(installed).not.toContain(`node_modules/${optional}`);
  });

  // node10 as in xmcp's template (skipLibCheck): @polar-sh/sdk's own subpath types are not
  // reachable under node10, so its declarations are not checked there.
  it.each([
    ["node10", { module: "commonjs", moduleResolution: "node10", skipLibCheck: true }, "commonjs"],
    ["node16", { module: "node16", moduleResolution: "node16", skipLibCheck: false }, "module"],
    ["bundler", { module: "esnext", moduleResolution: "bundler", skipLibCheck: false }, "module"],
  ])("types resolve under %s", { timeout: 120_000 }, async (name, options, type) => {
    const dir = join(project, `types-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type }));
    writeFileSync(
      join(dir, "index.ts"),
      [
        'import { PolarProvider, type ValidateLicenseKeyResult } from "@polar-mcp/paywall";',
        'import type { PaidExecuteOptions } from "@polar-mcp/paywall/fastmcp";',
        "const options: PaidExecuteOptions = { toolName: 'greet' };",
        "export async function check(key: string): Promise<ValidateLicenseKeyResult> {",
        "  const polar = PolarProvider.getInstance({ token: 't', organizationId: 'o', productId: 'p' });",
        "  void options;",
        "  return polar.validateLicenseKey(key);",
        "}",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          ...options,
          target: "es2022",
          strict: true,
          noEmit: true,
          types: ["node"],
          typeRoots: [join(ROOT, "node_modules/@types")],
        },
        files: ["index.ts"],
      }),
    );
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "-p", dir]).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? "failed",
    );
    expect(result).toBe("");
  });
});
