import { hashSecret, secretMatches } from "../crypto/secrets.js";
import { GatewayHttpError } from "../errors.js";
import { isoNow, type GatewayContext } from "../context.js";
import type { ServerRecord } from "../registry/types.js";

/**
 * Resolves a URL secret to its server, or throws the error that says why nothing is
 * served: unknown URL (404), rotated or deleted (410). Expiry is checked next, by
 * {@link ensureNotExpired}, so that refused calls can still be audited.
 */
export async function resolveServer(ctx: GatewayContext, secret: string): Promise<ServerRecord> {
  const found = secret ? await ctx.registry.findByTokenHash(hashSecret(secret)) : undefined;
  if (!found || !secretMatches(secret, found.tokenHash)) {
    throw new GatewayHttpError(
      404,
      "unknown_server",
      "No MCP server at this URL. Check that the URL was copied whole; the admin API lists servers and can rotate a URL.",
    );
  }
  const { server } = found;
  if (found.state === "rotated") {
    throw new GatewayHttpError(
      410,
      "url_rotated",
      "This MCP server URL was rotated and no longer works. Use the new URL from the rotation (ask the server's owner).",
    );
  }
  if (server.status === "deleted") {
    throw new GatewayHttpError(
      410,
      "server_deleted",
      "This MCP server was deleted; ask its owner for a new one.",
    );
  }
  return server;
}

/**
 * Throws a 410 when the server has expired; the first process to notice marks the record
 * `expired` (reads of the admin API do the same).
 */
export async function ensureNotExpired(ctx: GatewayContext, server: ServerRecord): Promise<void> {
  if (server.status === "expired" || isExpired(server, ctx.now())) {
    if (server.status === "active")
      await ctx.registry.updateServer(server.id, { status: "expired" }, isoNow(ctx));
    throw new GatewayHttpError(
      410,
      "server_expired",
      `This MCP server expired at ${server.expiresAt}; ask its owner for a new one (or to extend expires_at).`,
    );
  }
}

/** True when the server has an expiry and it has passed. */
export function isExpired(server: Pick<ServerRecord, "expiresAt">, now: number): boolean {
  return server.expiresAt !== null && Date.parse(server.expiresAt) <= now;
}

/**
 * The second credential of servers with `require_api_token_auth`: a gateway API token of
 * the server's own account in `Authorization: Bearer …`, compared in constant time.
 */
export async function checkApiToken(
  ctx: GatewayContext,
  server: ServerRecord,
  authorization: string | undefined,
): Promise<void> {
  const how = `Create one with POST /admin/accounts/${server.accountId}/api-tokens and send it as "Authorization: Bearer <token>".`;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) {
    throw new GatewayHttpError(
      401,
      "api_token_required",
      `This MCP server also requires a gateway API token. ${how}`,
      { "WWW-Authenticate": 'Bearer realm="polar-mcp-gateway"' },
    );
  }
  const presented = match[1] as string;
  const token = await ctx.registry.findApiToken(hashSecret(presented));
  if (
    !token ||
    token.accountId !== server.accountId ||
    !secretMatches(presented, token.tokenHash)
  ) {
    throw new GatewayHttpError(
      401,
      "invalid_api_token",
      `The gateway API token is not valid for this MCP server (unknown, revoked, or of another account). ${how}`,
      { "WWW-Authenticate": 'Bearer realm="polar-mcp-gateway", error="invalid_token"' },
    );
  }
}
