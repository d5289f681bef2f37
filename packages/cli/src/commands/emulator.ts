import { InvalidArgumentError, Option, type Command } from "commander";
import { openingDatabase } from "../failures.js";
import type { CliIo } from "../io.js";
import { loadExport } from "../load-package.js";
import { parsePort, SPEC_HELP } from "../options.js";
import { waitForSignal } from "../signals.js";
import { registerEmulatorControlCommands } from "./emulator-control.js";

export interface EmulatorCommandOptions {
  port: number;
  host: string;
  db: string;
  seed?: string;
  spec?: string;
  json?: boolean;
  latency?: number;
  rateLimit?: string;
  meterLag?: number;
  instantBalances?: boolean;
}

/** Parses a duration: `50ms`, `15s`, `2m`, or a bare number of milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError("expected a duration such as 50ms, 15s or 2m.");
  const unit = { ms: 1, s: 1000, m: 60_000 }[(match[2] ?? "ms") as "ms" | "s" | "m"];
  return Math.round(Number(match[1]) * unit);
}

function parseRateLimit(value: string): string {
  if (value !== "polar" && value !== "polar-sandbox")
    throw new InvalidArgumentError('expected "polar" (500/min) or "polar-sandbox" (100/min).');
  return value;
}

interface StartedEmulator {
  url: string;
  seed: unknown;
  close(): Promise<void>;
}

type StartEmulator = (options: Record<string, unknown>) => Promise<StartedEmulator>;

export function registerEmulatorCommand(program: Command, io: CliIo): void {
  const emulator = program.command("emulator");
  registerEmulatorControlCommands(emulator, io);
  emulator
    .description("Run a local, stateful, Polar-compatible API (no account, no network).")
    .addOption(
      new Option("--port <port>", "port to listen on (0 = any free port)")
        .default(8787)
        .argParser(parsePort),
    )
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--db <file>", "SQLite file to persist to, or :memory:", ".polar-emulator.sqlite")
    .option("--seed <name>", "create ready-to-use data (demo)")
    .option("--spec <file|url>", SPEC_HELP)
    .option("--json", "print one JSON line { url, seed } once listening")
    .addOption(
      new Option(
        "--latency <duration>",
        "add this latency to every /v1 request (e.g. 50ms)",
      ).argParser(parseDuration),
    )
    .addOption(
      new Option(
        "--rate-limit <profile>",
        "enforce Polar's rate limits: polar (500/min) or polar-sandbox (100/min); 429 + Retry-After",
      ).argParser(parseRateLimit),
    )
    .option(
      "--instant-balances",
      "customer meters and state count usage as soon as ingestion returns (default: Polar's recompute, debounced 15 s)",
    )
    .addOption(
      new Option(
        "--meter-lag <duration>",
        "customer meters and state show balances as of this long ago, as Polar's debounced recompute (e.g. 15s)",
      ).argParser(parseDuration),
    )
    .action(async (options: EmulatorCommandOptions) => {
      const startEmulator = await loadExport<StartEmulator>(
        "@polar-mcp/emulator",
        "startEmulator",
        "emulator",
      );
      const { latency, rateLimit, meterLag, ...rest } = options;
      const emulator = await openingDatabase(options.db, () =>
        startEmulator({
          ...rest,
          ...(latency !== undefined ? { latencyMs: latency } : {}),
          ...(rateLimit !== undefined ? { rateLimit } : {}),
          ...(meterLag !== undefined ? { meterLagMs: meterLag } : {}),
        }),
      );
      // Listen for the signal before saying we are ready: whoever reads that line may send it.
      const stopped = waitForSignal();
      if (options.json) {
        io.out(JSON.stringify({ url: emulator.url, seed: emulator.seed }));
      } else {
        io.out(`Polar emulator listening on ${emulator.url}`);
        io.out(`Dashboard: ${emulator.url}/ (open it in a browser)`);
        if (emulator.seed) io.out(`Seed: ${JSON.stringify(emulator.seed, null, 2)}`);
      }
      await stopped;
      await emulator.close();
    });
}
