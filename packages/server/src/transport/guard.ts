import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Who may reach the HTTP endpoint. */
export interface HttpGuardOptions {
  /** Bearer token MCP clients must send (`Authorization: Bearer …`); none = no check. */
  httpToken?: string | undefined;
  /** Allowed `Origin` values (exact, e.g. `https://app.example.com`, or `*`); default: localhost origins. */
  allowedOrigins?: readonly string[] | undefined;
  /** Allowed `Host` names (without port); default: localhost, 127.0.0.1, ::1 and the bound host. */
  allowedHosts?: readonly string[] | undefined;
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

const LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]", "::1"];

/**
 * DNS-rebinding and CSRF protection for a local MCP endpoint: the Host must be a known
 * name, a browser Origin (when sent) must be allowed, and the bearer token (when set) must
 * match, compared in constant time.
 */
export function createHttpGuard(
  options: HttpGuardOptions,
  boundHost: string,
): (req: IncomingMessage) => GuardVerdict {
  const hosts = new Set(
    (options.allowedHosts ?? [...LOCAL_HOSTS, boundHost])
      .map((h) => h.toLowerCase())
      .filter(Boolean),
  );
  const origins = options.allowedOrigins;
  const expected = options.httpToken ? digest(options.httpToken) : undefined;
  return (req) => {
    const host = hostname(req.headers.host ?? "");
    if (!hosts.has("*") && !hosts.has(host)) {
      return { ok: false, status: 403, message: "Host not allowed; add it to allowedHosts." };
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, origins)) {
      return { ok: false, status: 403, message: "Origin not allowed; add it to allowedOrigins." };
    }
    if (expected) {
      const header = req.headers.authorization ?? "";
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match || !timingSafeEqual(digest(match[1] as string), expected)) {
        return {
          ok: false,
          status: 401,
          message: "Missing or wrong bearer token for this MCP endpoint.",
        };
      }
    }
    return { ok: true };
  };
}

function originAllowed(origin: string, allowed: readonly string[] | undefined): boolean {
  if (allowed) return allowed.includes("*") || allowed.includes(origin);
  try {
    const url = new URL(origin);
    return LOCAL_HOSTS.includes(url.hostname);
  } catch {
    return false;
  }
}

function hostname(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(0, value.indexOf("]") + 1);
  return value.split(":")[0] ?? "";
}

// Hashing first makes both sides the same length, as timingSafeEqual requires.
function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
