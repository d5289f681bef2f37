import { Option, type Command } from "commander";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";
import { loadExport } from "../load-package.js";
import { parseList } from "../options.js";

type Json = Record<string, unknown>;
interface AdminClient {
  createAccount(body: Json): Promise<Json>;
  listAccounts(): Promise<Json[]>;
  reencryptAccounts(): Promise<Json>;
  connectAccount(body: Json): Promise<Json>;
  createServer(accountId: string, body: Json): Promise<Json>;
  listServers(accountId: string): Promise<Json[]>;
  deleteServer(id: string): Promise<void>;
  rotateServer(id: string): Promise<Json>;
}
type CreateAdminClient = (options: { url: string; adminKey: string }) => AdminClient;

const DEFAULT_URL = "http://127.0.0.1:8788";

// Admin subcommands talk to a running gateway's admin API (so they work the same against
// SQLite or PostgreSQL, locally or remotely); the key comes from POLAR_MCP_ADMIN_KEY.
function withTarget(command: Command): Command {
  return command
    .option("--url <url>", `gateway URL (env POLAR_MCP_GATEWAY_URL, default ${DEFAULT_URL})`)
    .option("--json", "print the gateway's JSON answer");
}

async function client(options: Json): Promise<AdminClient> {
  const adminKey = process.env.POLAR_MCP_ADMIN_KEY;
  if (!adminKey) {
    throw new CliError("bad_option", "Set POLAR_MCP_ADMIN_KEY to the gateway's admin key.");
  }
  const create = await loadExport<CreateAdminClient>(
    "@polar-mcp/gateway",
    "createAdminClient",
    "gateway",
  );
  const url =
    (options.url as string | undefined) ?? process.env.POLAR_MCP_GATEWAY_URL ?? DEFAULT_URL;
  return create({ url, adminKey });
}

async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof CliError) throw error;
    const status = (error as { status?: number }).status;
    throw new CliError("failed", `${status ? `HTTP ${status}: ` : ""}${(error as Error).message}`);
  }
}

/** `polar-mcp gateway accounts create|list|reencrypt|connect` and `gateway servers create|list|delete|rotate`. */
export function registerGatewayAdminCommands(gateway: Command, io: CliIo): void {
  const print = (options: Json, json: unknown, line: string) =>
    io.out(options.json ? JSON.stringify(json, null, 2) : line);

  const accounts = gateway.command("accounts").description("Connected Polar accounts (admin API).");
  withTarget(
    accounts
      .command("create")
      .description("Connect a Polar account (token from POLAR_ACCESS_TOKEN)."),
  )
    .requiredOption("--name <name>", "account name")
    .addOption(
      new Option("--server <name>", "Polar environment").choices(["production", "sandbox"]),
    )
    .option("--base-url <url>", "Polar API base URL (e.g. the emulator's)")
    .action((options: Json) =>
      run(async () => {
        const token = process.env.POLAR_ACCESS_TOKEN;
        if (!token)
          throw new CliError("bad_option", "Set POLAR_ACCESS_TOKEN to the account's Polar token.");
        const body: Json = { name: options.name, access_token: token };
        if (options.server) body.server = options.server;
        if (options.baseUrl) body.base_url = options.baseUrl;
        const account = await (await client(options)).createAccount(body);
        print(
          options,
          account,
          `${String(account.id)}  ${String(account.name)}  ${String(account.base_url)}`,
        );
      }),
    );
  withTarget(accounts.command("list").description("List accounts.")).action((options: Json) =>
    run(async () => {
      const items = await (await client(options)).listAccounts();
      print(
        options,
        items,
        items.map((a) => `${String(a.id)}  ${String(a.name)}  ${String(a.base_url)}`).join("\n") ||
          "No accounts.",
      );
    }),
  );

  withTarget(
    accounts
      .command("reencrypt")
      .description(
        "Re-seal every account's credential under the newest key of POLAR_MCP_ENCRYPTION_KEYS.",
      ),
  ).action((options: Json) =>
    run(async () => {
      const result = await (await client(options)).reencryptAccounts();
      const failed = Array.isArray(result.failed) ? (result.failed as Json[]) : [];
      print(
        options,
        result,
        [
          `Key ${String(result.key_id)}: ${String(result.reencrypted)} re-encrypted, ${String(result.unchanged)} already on it.`,
          ...failed.map((f) => `${String(f.id)}  ${String(f.error)}: ${String(f.detail)}`),
        ].join("\n"),
      );
      if (failed.length > 0) {
        throw new CliError(
          "failed",
          `${failed.length} account(s) could not be opened with any key; add their key to POLAR_MCP_ENCRYPTION_KEYS and run this again.`,
        );
      }
    }),
  );

  withTarget(
    accounts
      .command("connect")
      .description(
        "Connect with Polar: prints a URL where the account's owner signs in and approves; the account is created then.",
      ),
  )
    .requiredOption("--name <name>", "account name")
    .addOption(
      new Option("--server <name>", "Polar environment").choices(["production", "sandbox"]),
    )
    .option("--base-url <url>", "Polar API base URL (e.g. the emulator's)")
    .option("--methods <list>", "scopes for these method groups: read,write,custom", parseList)
    .option("--tags <list>", "scopes for these OpenAPI tags", parseList)
    .option("--read-only", "only read scopes")
    .action((options: Json) =>
      run(async () => {
        const config: Json = {};
        if (options.methods) config.methods = options.methods;
        if (options.tags) config.tags = options.tags;
        if (options.readOnly) config.read_only = true;
        const body: Json = { name: options.name, config };
        if (options.server) body.server = options.server;
        if (options.baseUrl) body.base_url = options.baseUrl;
        const started = await (await client(options)).connectAccount(body);
        print(
          options,
          started,
          `${String(started.account_id)}  (created once the owner approves; link valid until ${String(started.expires_at)})\n${String(started.connect_url)}`,
        );
      }),
    );

  const servers = gateway.command("servers").description("Managed MCP servers (admin API).");
  withTarget(servers.command("create").description("Create an MCP server; prints its URL once."))
    .requiredOption("--account <id>", "account id (acc_…)")
    .requiredOption("--name <name>", "server name")
    .option("--methods <list>", "read,write,custom", parseList)
    .option("--tags <list>", "OpenAPI tags", parseList)
    .option("--tools <list>", "tool names to include", parseList)
    .option("--exclude-tools <list>", "tool names to exclude", parseList)
    .option("--read-only", "only operations that read")
    .addOption(new Option("--mode <mode>", "tool mode").choices(["static", "dynamic"]))
    .option("--expires-at <time>", "ISO 8601 time after which the URL stops working")
    .option("--require-api-token-auth", "callers must also send a gateway API token")
    .action((options: Json) =>
      run(async () => {
        const config: Json = {};
        if (options.methods) config.methods = options.methods;
        if (options.tags) config.tags = options.tags;
        if (options.tools) config.tools = options.tools;
        if (options.excludeTools) config.exclude_tools = options.excludeTools;
        if (options.readOnly) config.read_only = true;
        if (options.mode) config.mode = options.mode;
        const body: Json = { name: options.name, config };
        if (options.expiresAt) body.expires_at = options.expiresAt;
        if (options.requireApiTokenAuth) body.require_api_token_auth = true;
        const server = await (await client(options)).createServer(String(options.account), body);
        print(
          options,
          server,
          `${String(server.id)}  ${String(server.tool_count)} tools\n${String(server.url)}\nThe URL is the credential and is shown only now.`,
        );
      }),
    );
  withTarget(servers.command("list").description("List an account's servers."))
    .requiredOption("--account <id>", "account id (acc_…)")
    .action((options: Json) =>
      run(async () => {
        const items = await (await client(options)).listServers(String(options.account));
        const lines = items.map(
          (s) =>
            `${String(s.id)}  ${String(s.status)}  ${String(s.name)}  expires ${String(s.expires_at ?? "never")}`,
        );
        print(options, items, lines.join("\n") || "No servers.");
      }),
    );
  withTarget(
    servers.command("delete").description("Delete a server; its URL stops working at once."),
  )
    .argument("<id>", "server id (mcp_…)")
    .action((id: string, options: Json) =>
      run(async () => {
        await (await client(options)).deleteServer(id);
        print(options, { id, deleted: true }, `Deleted ${id}.`);
      }),
    );
  withTarget(
    servers.command("rotate").description("Replace a server's URL; the old one stops at once."),
  )
    .argument("<id>", "server id (mcp_…)")
    .action((id: string, options: Json) =>
      run(async () => {
        const server = await (await client(options)).rotateServer(id);
        print(options, server, `${String(server.url)}\nThe old URL no longer works.`);
      }),
    );
}
