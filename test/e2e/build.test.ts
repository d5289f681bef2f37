// `npm run build` emits runnable JavaScript for every package: each built entry imports,
// and the CLI runs from the build.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url);
const PACKAGES = ["openapi", "emulator", "server", "paywall", "gateway", "cli"];

describe("build", () => {
  beforeAll(async () => {
    await run("npm", ["run", "build"], { cwd: root });
  }, 180_000);

  it.each(PACKAGES)(
    "packages/%s/dist/index.js imports and has the same export names as src (names only)",
    async (name) => {
      const built = (await import(new URL(`packages/${name}/dist/index.js`, root).href)) as object;
      const source = (await import(new URL(`packages/${name}/src/index.ts`, root).href)) as object;
      expect(Object.keys(built).sort()).toEqual(Object.keys(source).sort());
    },
  );

  it("the CLI bin with POLAR_MCP_USE_BUILD=1 runs from dist and prints its command list", async () => {
    const { stdout } = await run(process.execPath, ["packages/cli/bin/polar-mcp.js", "--help"], {
      cwd: root,
      env: { ...process.env, POLAR_MCP_USE_BUILD: "1" },
    });
    expect(stdout).toContain("emulator");
    expect(stdout).toContain("demo");
  });
});
