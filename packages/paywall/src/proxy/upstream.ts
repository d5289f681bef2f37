import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { UpstreamConfig } from "./proxy-config.js";

/**
 * Connects to the MCP server behind the paywall: spawns the stdio command (stderr passed
 * through), or opens a Streamable HTTP session. It declares the downstream client's own
 * capabilities (sampling, elicitation, roots…), so the upstream offers exactly what it would
 * offer that client directly; its requests for them are relayed to the downstream client.
 */
export async function connectUpstream(
  upstream: UpstreamConfig,
  capabilities: ClientCapabilities = {},
): Promise<Client> {
  const client = new Client(
    { name: "polar-mcp-paywall-proxy", version: "0.1.0" },
    { capabilities },
  );
  const transport =
    "url" in upstream
      ? new StreamableHTTPClientTransport(new URL(upstream.url), {
          requestInit: { headers: upstream.headers ?? {} },
        })
      : new StdioClientTransport({
          command: upstream.command,
          args: upstream.args ?? [],
          // The SDK passes only a safe default environment (PATH, HOME…) plus `env`: Polar's
          // token and the license key never reach the upstream.
          ...(upstream.env ? { env: upstream.env } : {}),
          ...(upstream.cwd ? { cwd: upstream.cwd } : {}),
          stderr: "inherit",
        });
  await client.connect(transport);
  return client;
}
