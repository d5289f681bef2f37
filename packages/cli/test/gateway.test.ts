import { describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { capture } from "./capture.js";

describe("polar-mcp gateway admin commands", () => {
  it("gateway --help lists serve, accounts and servers", async () => {
    const io = capture();
    expect(await runCli(["gateway", "--help"], io)).toBe(0);
    for (const command of ["serve", "accounts", "servers"])
      expect(io.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
  });

  it("gateway servers --help lists create, list, delete and rotate", async () => {
    const io = capture();
    expect(await runCli(["gateway", "servers", "--help"], io)).toBe(0);
    for (const command of ["create", "list", "delete", "rotate"])
      expect(io.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
  });

  it("servers create --help lists the server config flags", async () => {
    const io = capture();
    expect(await runCli(["gateway", "servers", "create", "--help"], io)).toBe(0);
    for (const flag of [
      "--account",
      "--name",
      "--methods",
      "--tags",
      "--tools",
      "--exclude-tools",
      "--read-only",
      "--mode",
      "--expires-at",
      "--require-api-token-auth",
      "--url",
    ]) {
      expect(io.stdout).toContain(flag);
    }
  });

  it("says which variable to set when the admin key is missing", async () => {
    const saved = process.env.POLAR_MCP_ADMIN_KEY;
    delete process.env.POLAR_MCP_ADMIN_KEY;
    try {
      const io = capture();
      expect(await runCli(["gateway", "servers", "list", "--account", "acc_x"], io)).not.toBe(0);
      expect(io.stderr).toContain("POLAR_MCP_ADMIN_KEY");
    } finally {
      if (saved !== undefined) process.env.POLAR_MCP_ADMIN_KEY = saved;
    }
  });
});
