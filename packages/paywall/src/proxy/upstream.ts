import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { UpstreamConfig } from "./proxy-config.js";

/**
 * Connects to the MCP server behind the paywall: spawns the stdio command (stderr passed
 * through), or opens a Streamable HTTP session. The client declares sampling, elicitation and
 * roots so the upstream may ask for them; each is relayed to the downstream client, which
 * answers or refuses as its own capabilities say.
 */
export async function connectUpstream(upstream: UpstreamConfig): Promise<Client> {
  const client = new Client(
    { name: "polar-mcp-paywall-proxy", version: "0.1.0" },
    {
      capabilities: {
        sampling: {},
        elicitation: { form: {}, url: {} },
        roots: { listChanged: true },
      },
    },
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
