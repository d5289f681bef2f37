import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources: tests need no build step.
const conditions = ["polar-mcp-source", "module", "node", "development|production"];

export default defineConfig({
  resolve: {
    conditions,
    // xmcp is not installed (it needs MCP SDK v2 peers): its two modules the seed's example
    // imports are stood in for, so the example runs as written.
    alias: [
      {
        find: /^xmcp\/headers$/,
        replacement: fileURLToPath(new URL("./test/stubs/xmcp-headers.ts", import.meta.url)),
      },
      {
        find: /^xmcp$/,
        replacement: fileURLToPath(new URL("./test/stubs/xmcp.ts", import.meta.url)),
      },
    ],
  },
  ssr: { resolve: { conditions, externalConditions: ["polar-mcp-source"] } },
  test: {
    globalSetup: ["test/global-setup.ts"],
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
