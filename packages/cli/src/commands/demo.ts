import { Option, type Command } from "commander";
import type { CliIo } from "../io.js";
import { CliError } from "../errors.js";
import { loadExport } from "../load-package.js";
import { parsePort, SPEC_HELP } from "../options.js";
import { waitForSignal } from "../signals.js";

interface RunningDemo {
  instructions: string;
  close(): Promise<void>;
}
type StartDemo = (options: Record<string, unknown>) => Promise<RunningDemo>;
type RunDemoScript = (
  options: Record<string, unknown>,
  log: (line: string) => void,
) => Promise<boolean>;

export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command("demo")
    .description("Start the emulator and a paid example MCP server; print client configs.")
    .addOption(
      new Option("--port <port>", "port of the paid MCP server (0 = any free port)")
        .default(3001)
        .argParser(parsePort),
    )
    .option("--spec <file|url>", SPEC_HELP)
    .option(
      "--script",
      "run a scripted MCP client through pay, exhaust, checkout, restore; exit 0 if every step behaved",
    )
    .action(async (options: { port: number; script?: boolean; spec?: string }) => {
      const spec = options.spec ? { spec: options.spec } : {};
      if (options.script) {
        const runDemoScript = await loadExport<RunDemoScript>(
          "@polar-mcp/paywall/demo",
          "runDemoScript",
          "demo",
        );
        // The scripted client needs no stable port: any free one avoids clashes.
        const ok = await runDemoScript({ port: 0, ...spec }, (line) => io.out(line));
        if (!ok)
          throw new CliError(
            "failed",
            "polar-mcp demo --script: a step did not behave (marked ✗ above).",
            1,
          );
        return;
      }
      const startDemo = await loadExport<StartDemo>("@polar-mcp/paywall/demo", "startDemo", "demo");
      const demo = await startDemo({ port: options.port, ...spec });
      const stopped = waitForSignal(); // before the lines whose reader may send the signal
      io.out(demo.instructions);
      await stopped;
      await demo.close();
    });
}
