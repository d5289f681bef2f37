import { Option, type Command } from "commander";
import type { CliIo } from "../io.js";
import { loadExport } from "../load-package.js";
import { parsePort } from "../options.js";
import { waitForSignal } from "../signals.js";

type StartGateway = (
  options: Record<string, unknown>,
) => Promise<{ url: string; close(): Promise<void> }>;

export function registerGatewayCommand(program: Command, io: CliIo): void {
  program
    .command("gateway")
    .description(
      "Run managed, multi-tenant MCP servers with secret URLs, scopes, expiry and audit.",
    )
    .addOption(new Option("--port <port>", "port to listen on").default(8788).argParser(parsePort))
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--db <file>", "SQLite registry file", ".polar-gateway.sqlite")
    .option("--database-url <url>", "PostgreSQL registry shared by several gateway processes")
    .addHelpText(
      "after",
      "\nThe admin key comes from POLAR_MCP_ADMIN_KEY; the encryption key from POLAR_MCP_ENCRYPTION_KEY.",
    )
    .action(async (options: Record<string, unknown>) => {
      const startGateway = await loadExport<StartGateway>(
        "@polar-mcp/gateway",
        "startGateway",
        "gateway",
      );
      const gateway = await startGateway({ ...options });
      io.out(`Polar MCP gateway listening on ${gateway.url}`);
      await waitForSignal();
      await gateway.close();
    });
}
