import { Option, type Command } from "commander";
import type { CliIo } from "../io.js";
import { loadExport } from "../load-package.js";
import { parsePort } from "../options.js";
import { waitForSignal } from "../signals.js";

export interface EmulatorCommandOptions {
  port: number;
  host: string;
  db: string;
  seed?: string;
  spec?: string;
  json?: boolean;
}

interface StartedEmulator {
  url: string;
  seed: unknown;
  close(): Promise<void>;
}

type StartEmulator = (options: Record<string, unknown>) => Promise<StartedEmulator>;

export function registerEmulatorCommand(program: Command, io: CliIo): void {
  program
    .command("emulator")
    .description("Run a local, stateful, Polar-compatible API (no account, no network).")
    .addOption(
      new Option("--port <port>", "port to listen on (0 = any free port)")
        .default(8787)
        .argParser(parsePort),
    )
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--db <file>", "SQLite file to persist to, or :memory:", ".polar-emulator.sqlite")
    .option("--seed <name>", "create ready-to-use data (demo)")
    .option("--spec <file|url>", "Polar OpenAPI document to serve at /openapi.json")
    .option("--json", "print one JSON line { url, seed } once listening")
    .action(async (options: EmulatorCommandOptions) => {
      const startEmulator = await loadExport<StartEmulator>(
        "@polar-mcp/emulator",
        "startEmulator",
        "emulator",
      );
      const emulator = await startEmulator({ ...options });
      if (options.json) {
        io.out(JSON.stringify({ url: emulator.url, seed: emulator.seed }));
      } else {
        io.out(`Polar emulator listening on ${emulator.url}`);
        if (emulator.seed) io.out(`Seed: ${JSON.stringify(emulator.seed, null, 2)}`);
      }
      await waitForSignal();
      await emulator.close();
    });
}
