// Snapshots each package's public export names, so that adding, renaming or removing an
// export shows up as a snapshot change in review.
import { describe, expect, it } from "vitest";

const PACKAGES = [
  "@polar-mcp/emulator",
  "@polar-mcp/server",
  "@polar-mcp/paywall",
  "@polar-mcp/paywall/mcp-sdk",
  "@polar-mcp/paywall/mcp-server",
  "@polar-mcp/paywall/fastmcp",
  "@polar-mcp/paywall/xmcp",
  "@polar-mcp/gateway",
  "polar-mcp",
] as const;

describe("public exports", () => {
  for (const name of PACKAGES) {
    it(`${name} exports exactly the names in the snapshot (export names only, no behaviour)`, async () => {
      const mod = (await import(name)) as Record<string, unknown>;
      const exports = Object.keys(mod)
        .sort()
        .map((key) => `${key}: ${typeof mod[key]}`);
      expect(exports.length).toBeGreaterThan(0);
      expect(exports).toMatchSnapshot();
    });
  }
});
