#!/usr/bin/env node
// Installed from npm (no sources beside it), this runs the build in dist/. In a checkout
// it runs the TypeScript sources through tsx, with the "polar-mcp-source" export condition so every
// workspace package resolves to its src/ too: no build step, never a stale build.
// POLAR_MCP_USE_BUILD=1 runs dist/ from a checkout (after `npm run build`).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const useSource = existsSync(source) && process.env.POLAR_MCP_USE_BUILD !== "1";

if (!useSource) {
  await import(new URL("../dist/main.js", import.meta.url).href);
} else {
  const child = spawn(
    process.execPath,
    [
      "--conditions=polar-mcp-source",
      "--import",
      import.meta.resolve("tsx"),
      source,
      ...process.argv.slice(2),
    ],
    { stdio: "inherit" },
  );
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
