import { Command, CommanderError } from "commander";
import { registerDemoCommand } from "./commands/demo.js";
import { registerEmulatorCommand } from "./commands/emulator.js";
import { registerGatewayCommand } from "./commands/gateway.js";
import { registerPaywallCommand } from "./commands/paywall.js";
import { registerServeCommand } from "./commands/serve.js";
import { CliError } from "./errors.js";
import { describeFailure } from "./failures.js";
import { PROCESS_IO, type CliIo } from "./io.js";

export const CLI_VERSION = "0.1.0";

/** Builds the `polar-mcp` command tree; it parses and prints, the packages do the work. */
export function createProgram(io: CliIo = PROCESS_IO): Command {
  const program = new Command("polar-mcp")
    .description("Polar billing for MCP: a local Polar, Polar as MCP tools, a gateway, a demo.")
    .version(CLI_VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  registerEmulatorCommand(program, io);
  registerServeCommand(program, io);
  registerGatewayCommand(program, io);
  registerDemoCommand(program, io);
  registerPaywallCommand(program, io);
  for (const command of program.commands) {
    command
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  }
  return program;
}

/** Runs the CLI and resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.err(describeFailure(error));
    return error instanceof CliError ? error.exitCode : 1;
  }
}
