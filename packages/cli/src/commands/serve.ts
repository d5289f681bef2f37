import { Option, type Command } from "commander";
import type { CliIo } from "../io.js";
import { loadExport } from "../load-package.js";
import { parseList, parsePort } from "../options.js";

type ServePolarMcp = (
  options: Record<string, unknown>,
) => Promise<{ url?: string; close(): Promise<void> }>;

export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command("serve")
    .description("Serve every Polar API operation as MCP tools (stdio or Streamable HTTP).")
    .addOption(
      new Option("--transport <transport>", "MCP transport")
        .choices(["stdio", "http"])
        .default("stdio"),
    )
    .addOption(
      new Option("--port <port>", "port for --transport http").default(3000).argParser(parsePort),
    )
    .option("--host <host>", "interface to bind for --transport http", "127.0.0.1")
    .option("--base-url <url>", "Polar API base URL (e.g. the emulator's)")
    .addOption(
      new Option("--server <name>", "Polar environment").choices(["production", "sandbox"]),
    )
    .option(
      "--spec <file|url>",
      "Polar OpenAPI document (default: <base URL>/openapi.json; env POLAR_OPENAPI)",
    )
    .addOption(
      new Option(
        "--mode <mode>",
        "toolsets (default): chosen toolsets + search/describe/call for the rest; static: one tool per operation; dynamic: search/describe/call only",
      ).choices(["toolsets", "static", "dynamic"]),
    )
    .option(
      "--toolsets <list>",
      "toolsets listed as tools: default (hero operations), all, or resource groups (customers, subscriptions, webhooks …)",
      parseList,
    )
    .option(
      "--all",
      "every operation as a tool (static), whatever the credential can call; with --mode dynamic, search them all",
    )
    .option("--read-only", "only operations that read (overrides every other filter)")
    .option("--methods <list>", "read,write,custom", parseList)
    .option("--tags <list>", "OpenAPI tags to include", parseList)
    .option("--tools <list>", "tool names to include", parseList)
    .option("--exclude-tools <list>", "tool names to exclude (wins over --tools)", parseList)
    .addHelpText(
      "after",
      "\nThe Polar credential comes from POLAR_ACCESS_TOKEN, never from the MCP client.",
    )
    .action(async (options: Record<string, unknown>) => {
      const servePolarMcp = await loadExport<ServePolarMcp>(
        "@polar-mcp/server",
        "servePolarMcp",
        "serve",
      );
      const served = await servePolarMcp({
        ...options,
        accessToken: process.env.POLAR_ACCESS_TOKEN,
      });
      // stdout belongs to the MCP protocol over stdio; say where we listen on stderr.
      if (served.url) io.err(`Polar MCP server listening on ${served.url}`);
    });
}
