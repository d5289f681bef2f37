import type { MiddlewareHandler } from "hono";
import { secretMatches } from "../crypto/secrets.js";
import { GatewayHttpError } from "../errors.js";

/** Bearer check of the admin API against the admin key's hash, in constant time. */
export function adminAuth(
  adminKeyHash: string,
  what = "The admin API needs Authorization: Bearer <POLAR_MCP_ADMIN_KEY>.",
): MiddlewareHandler {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    if (!match || !secretMatches(match[1] as string, adminKeyHash)) {
      throw new GatewayHttpError(401, "unauthorized", what, {
        "WWW-Authenticate": 'Bearer realm="polar-mcp-gateway-admin"',
      });
    }
    await next();
  };
}
