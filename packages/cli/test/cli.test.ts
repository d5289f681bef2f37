import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { capture } from "./capture.js";

const COMMANDS = ["emulator", "serve", "gateway", "demo", "paywall"];

describe("polar-mcp CLI", () => {
  it("--help lists every command", async () => {
    const io = capture();
    expect(await runCli(["--help"], io)).toBe(0);
    for (const command of COMMANDS)
      expect(io.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
  });

  it.each([
    [
      "emulator",
      [
        "--port",
        "--host",
        "--db",
        "--seed",
        "--spec",
        "--json",
        "--latency",
        "--rate-limit",
        "--meter-lag",
      ],
    ],
    [
      "serve",
      [
        "--transport",
        "--port",
        "--base-url",
        "--server",
        "--spec",
        "--mode",
        "--all",
        "--read-only",
        "--methods",
        "--tags",
        "--tools",
        "--exclude-tools",
      ],
    ],
    ["gateway", ["--port", "--host", "--db", "--database-url", "--spec"]],
    ["demo", ["--port", "--script", "--spec"]],
  ])("%s --help lists its flags", async (command, flags) => {
    const io = capture();
    expect(await runCli([command, "--help"], io)).toBe(0);
    for (const flag of flags) expect(io.stdout).toContain(flag);
  });

  it("rejects a bad port with a clear message and a non-zero exit", async () => {
    const io = capture();
    expect(await runCli(["emulator", "--port", "99999"], io)).not.toBe(0);
    expect(io.stderr).toContain("expected a port number");
  });

  it("reads emulator durations as 50ms, 15s or 2m, and rejects others", async () => {
    const { parseDuration } = await import("../src/commands/emulator.js");
    expect([
      parseDuration("50ms"),
      parseDuration("15s"),
      parseDuration("2m"),
      parseDuration("7"),
    ]).toEqual([50, 15_000, 120_000, 7]);
    const io = capture();
    expect(await runCli(["emulator", "--latency", "soon"], io)).not.toBe(0);
    expect(io.stderr).toMatch(/duration/);
    expect(await runCli(["emulator", "--rate-limit", "lots"], io)).not.toBe(0);
    expect(io.stderr).toMatch(/polar-sandbox/);
  });

  it("rejects an unknown command", async () => {
    const io = capture();
    expect(await runCli(["nope"], io)).not.toBe(0);
    expect(io.stderr).toContain("unknown command");
  });

  it("the bin runs from source without a build and prints the command list", async () => {
    const bin = fileURLToPath(new URL("../bin/polar-mcp.js", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, "--help"], {
      env: { ...process.env, POLAR_MCP_USE_BUILD: "" },
    });
    for (const command of COMMANDS) expect(stdout).toContain(command);
  });
});

describe("a command whose package has not landed", () => {
  it("loadExport of an export the package lacks is a not_landed error with exit code 2 saying it is not available yet (helper check, no command run)", async () => {
    const { loadExport } = await import("../src/load-package.js");
    const error = await loadExport("@polar-mcp/gateway", "noSuchExport", "gateway").catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "not_landed", exitCode: 2 });
    expect((error as Error).message).toContain("not available yet");
  });
});
