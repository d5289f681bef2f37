import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources: tests need no build step.
const conditions = ["polar-mcp-source", "module", "node", "development|production"];

export default defineConfig({
  resolve: {
    conditions,
  },
  ssr: { resolve: { conditions, externalConditions: ["polar-mcp-source"] } },
  test: {
    globalSetup: ["test/global-setup.ts"],
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
