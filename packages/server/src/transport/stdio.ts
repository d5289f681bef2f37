import type { Readable, Writable } from "node:stream";
import { serveStdio, StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import type { ModernServerFactory } from "../modern/handler.js";

/**
 * Serves MCP over stdin/stdout (or the given streams) in both eras: a connection that opens
 * with `initialize` is served as 2025-11-25, one that opens with a 2026-07-28 request
 * (`server/discover` …) as 2026-07-28; one server from `createServer` per connection.
 */
export function startStdioTransport(
  createServer: ModernServerFactory,
  streams: { stdin?: Readable; stdout?: Writable } = {},
): Promise<{ close(): Promise<void> }> {
  const transport = new StdioServerTransport(streams.stdin, streams.stdout);
  const handle = serveStdio(() => createServer(), { transport });
  return Promise.resolve({ close: () => handle.close() });
}
