import { InvalidArgumentError, type Command } from "commander";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";
import { loadExport } from "../load-package.js";

type Json = Record<string, unknown>;
interface ControlClient {
  trigger(event: string, overrides: Record<string, string>, organizationId?: string): Promise<Json>;
  advanceClock(
    step: Json,
  ): Promise<{ from: string; to: string; happened: { kind: string; id: string; at: string }[] }>;
}
type CreateControlClient = (options: { url: string }) => ControlClient;

const DEFAULT_URL = "http://127.0.0.1:8787";

/** `--override path=value`, repeatable, into `{ path: value }`. */
export function collectOverride(value: string, previous: Record<string, string> = {}) {
  const index = value.indexOf("=");
  if (index <= 0)
    throw new InvalidArgumentError("expected path=value, e.g. customer.email=jane@example.com.");
  return { ...previous, [value.slice(0, index)]: value.slice(index + 1) };
}

const UNITS: Record<string, string> = {
  ms: "ms",
  s: "seconds",
  m: "minutes",
  h: "hours",
  d: "days",
  w: "weeks",
  mo: "months",
  y: "years",
};

/** `30d`, `3mo`, `2h`, `90s`, `1y` (calendar months and years) into a clock step. */
export function parseClockStep(value: string): Record<string, number> {
  const match = /^(\d+)\s*(ms|s|m|h|d|w|mo|y)$/.exec(value.trim());
  if (!match)
    throw new InvalidArgumentError("expected an amount such as 30d, 3mo, 2h, 15m or 90s.");
  return { [UNITS[match[2]!]!]: Number(match[1]) };
}

async function client(options: Json): Promise<ControlClient> {
  const create = await loadExport<CreateControlClient>(
    "@polar-mcp/emulator",
    "createControlClient",
    "emulator",
  );
  return create({
    url: (options.url as string | undefined) ?? process.env.POLAR_EMULATOR_URL ?? DEFAULT_URL,
  });
}

/** `--json` after a subcommand is also taken by `emulator --json`; either place counts. */
const wantsJson = (options: Json, command: Command): boolean =>
  Boolean(options.json ?? command.optsWithGlobals().json);

async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError("failed", (error as Error).message);
  }
}

/**
 * `polar-mcp emulator trigger <event>` and `polar-mcp emulator clock advance <amount>`:
 * both talk to a running emulator's control plane; the work happens in the emulator.
 */
export function registerEmulatorControlCommands(emulator: Command, io: CliIo): void {
  emulator
    .command("trigger <event>")
    .description(
      "Cause a webhook event through a realistic chain (e.g. order.paid: a buyer pays a checkout).",
    )
    .option(
      "--override <path=value>",
      "set an input, e.g. customer.email=jane@example.com (repeatable)",
      collectOverride,
    )
    .option("--organization <id>", "organization to act in (default: the first, the demo seed's)")
    .option("--url <url>", `a running emulator (env POLAR_EMULATOR_URL, default ${DEFAULT_URL})`)
    .option("--json", "print the emulator's JSON answer")
    .action((event: string, options: Json, command: Command) =>
      run(async () => {
        const json = wantsJson(options, command);
        const answer = await (
          await client(options)
        ).trigger(
          event,
          (options.override as Record<string, string> | undefined) ?? {},
          options.organization as string | undefined,
        );
        if (json) return io.out(JSON.stringify(answer));
        const ids = Object.entries(answer)
          .filter(([key, value]) => key.endsWith("_id") && key !== "organization_id" && value)
          .map(([key, value]) => `${key}=${String(value)}`);
        io.out(`Triggered ${event}: ${ids.join(" ")}`);
      }),
    );

  const clock = emulator
    .command("clock")
    .description("The emulator's clock (renewals, expiries, retries).");
  clock
    .command("advance <amount>")
    .description("Move time forward (30d, 3mo, 2h …); everything due on the way happens in order.")
    .option("--url <url>", `a running emulator (env POLAR_EMULATOR_URL, default ${DEFAULT_URL})`)
    .option("--json", "print the emulator's JSON answer")
    .action((amount: string, options: Json, command: Command) =>
      run(async () => {
        const json = wantsJson(options, command);
        const step = parseClockStep(amount);
        const answer = await (await client(options)).advanceClock(step);
        if (json) return io.out(JSON.stringify(answer));
        io.out(`Clock: ${answer.from} → ${answer.to}`);
        for (const item of answer.happened) io.out(`  ${item.at}  ${item.kind}  ${item.id}`);
      }),
    );
}
