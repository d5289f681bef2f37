#!/usr/bin/env node
// Installed from npm (no sources beside it), this runs the build in dist/. In a checkout it
// runs the TypeScript sources in this same process: tsx compiles them, and a resolve hook
// adds the "polar-mcp-source" export condition so every workspace package loads its src/
// too: no build step, never a stale build, and no child process to outlive its parent.
// POLAR_MCP_USE_BUILD=1 runs dist/ from a checkout (after `npm run build`).
import { existsSync } from "node:fs";
import { register } from "node:module";
import { fileURLToPath } from "node:url";

const source = new URL("../src/main.ts", import.meta.url);
const useSource = existsSync(fileURLToPath(source)) && process.env.POLAR_MCP_USE_BUILD !== "1";

if (useSource) {
  register(new URL("./source-condition-hooks.js", import.meta.url));
  const { register: registerTsx } = await import("tsx/esm/api");
  registerTsx();
  await import(source.href);
} else {
  await import(new URL("../dist/main.js", import.meta.url).href);
}
