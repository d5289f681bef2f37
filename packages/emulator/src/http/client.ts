import type { Context } from "hono";
import type { IncomingMessage } from "node:http";

/**
 * Who is calling, for rate limits: the peer address when the node server serves the
 * request; in process (no socket), the first `X-Forwarded-For` entry, else one shared
 * client. The header is trusted in process only: over the network anyone could set it.
 */
export function clientOf(c: Context): string {
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  const address = env?.incoming?.socket?.remoteAddress;
  if (address) return address;
  const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || "in-process";
}
