import { Option, type Command } from "commander";
import { openingDatabase } from "../failures.js";
import type { CliIo } from "../io.js";
import { loadExport } from "../load-package.js";
import { parsePort, SPEC_HELP } from "../options.js";
import { waitForSignal } from "../signals.js";
import { registerGatewayAdminCommands } from "./gateway-admin.js";

type StartGateway = (
  options: Record<string, unknown>,
) => Promise<{ url: string; close(): Promise<void> }>;

type LoadOpenApiDocument = (source: string | undefined) => Promise<object>;

const ENV_HELP = `
Environment:
  POLAR_MCP_ADMIN_KEY       bearer key of the admin API (required, >= 16 characters)
  POLAR_MCP_ENCRYPTION_KEY  32-byte key sealing Polar credentials (openssl rand -base64 32)
  POLAR_MCP_ENCRYPTION_KEYS keyring, newest first: id:key,id:key (rotate, then
                            \`gateway accounts reencrypt\`)
  POLAR_MCP_PUBLIC_URL      origin put in server URLs when behind a proxy
  POLAR_MCP_DATABASE_URL    PostgreSQL URL (same as --database-url)`;

// The listening flags, on both `gateway` and `gateway serve`.
function addServeOptions(command: Command): Command {
  return command
    .addOption(new Option("--port <port>", "port to listen on").default(8788).argParser(parsePort))
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--db <file>", "SQLite registry file", ".polar-gateway.sqlite")
    .option("--database-url <url>", "PostgreSQL registry shared by several gateway processes")
    .option("--public-url <url>", "origin used in server URLs (default: the request's origin)")
    .option("--audit-arguments", "keep tool-call arguments in the audit log (default: off)")
    .option("--spec <file|url>", SPEC_HELP);
}

async function serve(io: CliIo, options: Record<string, unknown>): Promise<void> {
  const startGateway = await loadExport<StartGateway>(
    "@polar-mcp/gateway",
    "startGateway",
    "gateway",
  );
  const loadOpenApiDocument = await loadExport<LoadOpenApiDocument>(
    "@polar-mcp/server",
    "loadOpenApiDocument",
    "gateway",
  );
  // Resolved before listening: a missing document fails now, not on the first request.
  const spec = await loadOpenApiDocument(
    typeof options.spec === "string" ? options.spec : undefined,
  );
  const start = () => startGateway({ ...options, spec });
  const gateway =
    typeof options.db === "string" && !options.databaseUrl && !process.env.POLAR_MCP_DATABASE_URL
      ? await openingDatabase(options.db, start)
      : await start();
  const stopped = waitForSignal(); // before the line whose reader may send the signal
  io.out(`Polar MCP gateway listening on ${gateway.url} (admin API at ${gateway.url}/admin)`);
  await stopped;
  await gateway.close();
}

export function registerGatewayCommand(program: Command, io: CliIo): void {
  const gateway = addServeOptions(
    program
      .command("gateway")
      .description(
        "Run managed, multi-tenant MCP servers with secret URLs, scopes, expiry and audit.",
      ),
  )
    .addHelpText("after", ENV_HELP)
    .action((options: Record<string, unknown>) => serve(io, options));

  addServeOptions(gateway.command("serve").description("Run the gateway (the default action)."))
    .addHelpText("after", ENV_HELP)
    .action((options: Record<string, unknown>) => serve(io, options));

  registerGatewayAdminCommands(gateway, io);
}
