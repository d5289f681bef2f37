import type { Context, MiddlewareHandler } from "hono";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { HttpError } from "../http/errors.js";

/**
 * The control plane has no auth (local use), so it must not be reachable from a web page:
 * - cross-site requests are refused: an `Origin` other than the emulator's own, or
 *   `Sec-Fetch-Site: cross-site` (a form a page posts to `/__emulator/reset`);
 * - over a socket, the `Host` must be an IP literal, `localhost` (or `*.localhost`), the
 *   emulator's own URL host or one listed in `allowedHosts`: a DNS-rebinding page (its own
 *   name resolving to 127.0.0.1) cannot read a token or the seed.
 * In process (no socket) there is no network, so only the cross-site check applies.
 */
export function controlPlaneGuard(options: {
  baseUrl: () => string;
  allowedHosts?: readonly string[];
}): MiddlewareHandler {
  return async (c, next) => {
    const host = (c.req.header("host") ?? "").toLowerCase();
    if (overSocket(c) && !hostAllowed(hostnameOf(host), options)) {
      throw refused(`Host "${truncate(host)}" is not this emulator's`);
    }
    const origin = c.req.header("origin");
    if (origin !== undefined && !sameOrigin(origin, host, options.baseUrl())) {
      throw refused("cross-site requests are refused");
    }
    if (c.req.header("sec-fetch-site") === "cross-site") {
      throw refused("cross-site requests are refused");
    }
    await next();
  };
}

const refused = (why: string) =>
  new HttpError(
    403,
    "NotPermitted",
    `The control plane only answers local clients: ${why}. Call it from a script or the CLI, not a web page.`,
  );

const truncate = (value: string) => (value.length > 64 ? `${value.slice(0, 64)}…` : value);

function overSocket(c: Context): boolean {
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  return env?.incoming?.socket !== undefined;
}

/** `host[:port]` or `[v6]:port` → the host name, lower case, without brackets. */
function hostnameOf(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  const colon = host.lastIndexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

function hostAllowed(
  hostname: string,
  options: { baseUrl: () => string; allowedHosts?: readonly string[] },
): boolean {
  if (hostname === "") return false;
  if (isIP(hostname) !== 0) return true;
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  if (options.allowedHosts?.some((allowed) => allowed.toLowerCase() === hostname)) return true;
  try {
    return new URL(options.baseUrl()).hostname.replace(/^\[|\]$/g, "") === hostname;
  } catch {
    return false;
  }
}

function sameOrigin(origin: string, host: string, baseUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes "null" (sandboxed frames, file: pages)
  }
  if (parsed.host === host) return true;
  try {
    return parsed.origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}
