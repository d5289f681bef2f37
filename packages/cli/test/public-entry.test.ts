// The CLI's public entry (`polar-mcp` as a library): createProgram builds the same commands the
// bin runs, writing to the io it is given, and a command's user error is a CliError that says
// what to set (not a stack trace).
import { CliError, createProgram } from "polar-mcp";
import { afterEach, describe, expect, it } from "vitest";

const saved = process.env.POLAR_MCP_ADMIN_KEY;
afterEach(() => {
  if (saved === undefined) delete process.env.POLAR_MCP_ADMIN_KEY;
  else process.env.POLAR_MCP_ADMIN_KEY = saved;
});

describe("polar-mcp public entry", () => {
  it("createProgram has every command and writes its help to the given io", async () => {
    const out: string[] = [];
    const program = createProgram({ out: (t) => out.push(t), err: (t) => out.push(t) });
    expect(program.commands.map((c) => c.name()).sort()).toEqual(
      ["demo", "emulator", "gateway", "paywall", "serve"].sort(),
    );
    await expect(program.parseAsync(["serve", "--help"], { from: "user" })).rejects.toThrow();
    expect(out.join("")).toContain("--read-only");
  });

  it("a gateway admin command without POLAR_MCP_ADMIN_KEY rejects with a CliError naming the variable", async () => {
    delete process.env.POLAR_MCP_ADMIN_KEY;
    const program = createProgram({ out: () => undefined, err: () => undefined });
    const run = program.parseAsync(["gateway", "accounts", "list"], { from: "user" });
    await expect(run).rejects.toBeInstanceOf(CliError);
    await expect(run).rejects.toThrow("Set POLAR_MCP_ADMIN_KEY");
  });
});
