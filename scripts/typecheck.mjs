// Type-checks every package (src and tests) and the root folders, each with its own
// tsconfig, so one package's errors are reported under its name.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const root = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
// The emulator's dashboard (browser code, its own tsconfig) is checked beside the packages.
const projects = [...root.workspaces, "packages/emulator/ui", "."];
const tsc = new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname;
let failed = 0;
for (const project of projects) {
  const result = spawnSync(process.execPath, [tsc, "-p", project], { stdio: "inherit" });
  if (result.status !== 0) {
    failed += 1;
    console.error(`typecheck failed: ${project}`);
  }
}
if (failed > 0) process.exit(1);
console.log(`typecheck ok: ${projects.length} projects`);
