import { InvalidArgumentError, Option, type Command } from "commander";
import type { CliIo } from "../io.js";
import { loadExport } from "../load-package.js";
import { parseList, parsePort, SPEC_HELP } from "../options.js";
import { waitForSignal } from "../signals.js";

type ServePolarMcp = (
  options: Record<string, unknown>,
) => Promise<{ url?: string; close(): Promise<void> }>;

const NO_TOKEN_NOTICE = (all: boolean) =>
  all
    ? "polar-mcp serve: POLAR_ACCESS_TOKEN is not set. --all lists every operation, but calls to those that need a credential will fail with 401; set POLAR_ACCESS_TOKEN=polar_oat_… (an organization access token)."
    : "polar-mcp serve: POLAR_ACCESS_TOKEN is not set, so only the operations Polar serves without a credential are listed (public license-key validate/activate/deactivate, client checkouts, OAuth2 endpoints). Set POLAR_ACCESS_TOKEN=polar_oat_… (an organization access token) to list your organization's tools.";

function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1000) {
    throw new InvalidArgumentError("expected a whole number of characters, at least 1000.");
  }
  return parsed;
}

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
    .option("--spec <file|url>", SPEC_HELP)
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
    .addOption(
      new Option(
        "--result-budget-chars <characters>",
        "longest tool result text; lists over it are cut at item boundaries with the calls for the rest (default 20000)",
      ).argParser(parsePositiveInteger),
    )
    .option(
      "--sign-in-with-polar",
      "for --transport http: clients sign in with Polar (OAuth: registration, PKCE, consent) and tools act with the user's token",
    )
    .option(
      "--oauth-issuer <url>",
      "Polar's OAuth issuer for --sign-in-with-polar (default: the base URL)",
    )
    .option(
      "--public-url <url>",
      "this endpoint's URL as clients reach it, for --sign-in-with-polar",
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
      const accessToken = process.env.POLAR_ACCESS_TOKEN;
      const { signInWithPolar, oauthIssuer, publicUrl, ...rest } = options;
      const signIn =
        signInWithPolar === true
          ? {
              signInWithPolar: {
                ...(typeof oauthIssuer === "string" ? { issuer: oauthIssuer } : {}),
                ...(typeof publicUrl === "string" ? { publicUrl } : {}),
              },
            }
          : {};
      const served = await servePolarMcp({ ...rest, ...signIn, accessToken });
      const stopped = waitForSignal(); // before the lines whose reader may send the signal
      // stdout belongs to the MCP protocol over stdio: everything for people goes to stderr.
      if (!accessToken && signInWithPolar !== true) io.err(NO_TOKEN_NOTICE(options.all === true));
      if (served.url) io.err(`Polar MCP server listening on ${served.url}`);
      await stopped;
      await served.close();
    });
}
