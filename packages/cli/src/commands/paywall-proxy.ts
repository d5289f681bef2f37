import { readFile } from "node:fs/promises";
import { Option, type Command } from "commander";
import type { CliIo } from "../io.js";
import { loadExport } from "../load-package.js";
import { CliError } from "../errors.js";
import { waitForSignal } from "../signals.js";

interface RunningProxy {
  mcpUrl?: string;
  webhookUrl?: string;
  close(): Promise<void>;
}
type StartPaidProxy = (options: Record<string, unknown>) => Promise<RunningProxy>;
type ParseProxyConfig = (value: unknown) => unknown;

interface ProxyFlags {
  config: string;
  transport: "stdio" | "http";
  port?: number;
  host: string;
  webhookSecret?: string;
  registerWebhook?: boolean;
  publicUrl?: string;
  outbox?: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError("bad_option", `--port: "${value}" is not a port number (0–65535).`, 2);
  return port;
}

async function readConfig(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new CliError("bad_option", `--config: cannot read "${path}".`, 2);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError("bad_option", `--config: "${path}" is not JSON.`, 2);
  }
}

/** `polar-mcp paywall proxy`: any MCP server behind the paywall, from a config file. */
export function registerPaywallProxyCommand(paywall: Command, io: CliIo): void {
  paywall
    .command("proxy")
    .description(
      "Put any MCP server (a stdio command or a Streamable HTTP URL) behind the paywall: prices per tool from a JSON config, free tools, everything else forwarded unchanged.",
    )
    .requiredOption("--config <file>", "the proxy's JSON config (upstream, polar, tools, free)")
    .addOption(
      new Option("--transport <transport>", "how agents reach the proxy")
        .choices(["stdio", "http"])
        .default("stdio"),
    )
    .addOption(
      new Option(
        "--port <port>",
        "HTTP port: the MCP endpoint (/mcp) with --transport http; with stdio, a listener for webhooks only",
      ).argParser(parsePort),
    )
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option(
      "--webhook-secret <secret>",
      "secret of the Polar webhook endpoint you registered at <this server>/webhooks/polar (env POLAR_WEBHOOK_SECRET)",
    )
    .option(
      "--register-webhook",
      "register (and keep) the proxy's own webhook endpoint in Polar at --public-url",
    )
    .option(
      "--public-url <url>",
      "the public URL of /webhooks/polar (default: the address the proxy listens on)",
    )
    .option("--outbox <file>", "the paywall's outbox (env POLAR_PAYWALL_OUTBOX)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .action(async (flags: ProxyFlags) => {
      const token = process.env.POLAR_ACCESS_TOKEN ?? process.env.POLAR_TOKEN;
      if (!token)
        throw new CliError(
          "bad_option",
          "polar-mcp paywall proxy: set POLAR_ACCESS_TOKEN (an organization access token).",
          2,
        );
      const parseProxyConfig = await loadExport<ParseProxyConfig>(
        "@polar-mcp/paywall/proxy",
        "parseProxyConfig",
        "paywall proxy",
      );
      const startPaidProxy = await loadExport<StartPaidProxy>(
        "@polar-mcp/paywall/proxy",
        "startPaidProxy",
        "paywall proxy",
      );
      let config: unknown;
      try {
        config = parseProxyConfig(await readConfig(flags.config));
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError("bad_option", `--config: ${(error as Error).message}`, 2);
      }
      const secret = flags.webhookSecret ?? process.env.POLAR_WEBHOOK_SECRET;
      const webhook =
        secret || flags.registerWebhook
          ? {
              ...(secret ? { secret } : { register: true }),
              ...(flags.publicUrl ? { publicUrl: flags.publicUrl } : {}),
            }
          : undefined;
      const running = await startPaidProxy({
        config,
        token,
        transport: flags.transport,
        host: flags.host,
        ...(flags.port !== undefined ? { port: flags.port } : {}),
        ...(flags.transport === "http" && flags.port === undefined ? { port: 3000 } : {}),
        ...(webhook ? { webhook } : {}),
        ...(flags.outbox ? { outbox: flags.outbox } : {}),
      });
      const stopped = waitForSignal();
      // stdout belongs to the MCP protocol over stdio: everything for people goes to stderr.
      if (running.mcpUrl) io.err(`Paid MCP proxy listening on ${running.mcpUrl}`);
      if (running.webhookUrl) io.err(`Polar webhooks received at ${running.webhookUrl}`);
      else
        io.err(
          "No webhook configured: purchases are seen when the cache expires, and URL elicitations are not completed.",
        );
      await stopped;
      await running.close();
    });
}
