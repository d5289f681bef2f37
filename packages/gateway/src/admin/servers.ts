import type { Context, Hono } from "hono";
import { viewOf } from "../config/filters.js";
import { parseServerConfig } from "../config/parse.js";
import { openCredential } from "../crypto/credentials.js";
import { hashSecret, newId, newSecret } from "../crypto/secrets.js";
import { isoNow, type GatewayContext } from "../context.js";
import { isExpired } from "../mcp/authorize.js";
import type { AccountRecord, ServerConfig, ServerPatch, ServerRecord } from "../registry/types.js";
import { requireAccount } from "./accounts.js";
import { expiresAt, notFound, optionalBoolean, readObject, requiredString } from "./body.js";
import { renderServer } from "./render.js";

/**
 * MCP servers of an account. The create and rotate answers are the only places the URL
 * (whose last segment is the secret) is ever shown; the registry keeps its SHA-256 only.
 */
export function registerServerRoutes(admin: Hono, ctx: GatewayContext): void {
  const create = async (c: Context) => {
    const account = await requireAccount(ctx, c.req.param("id") ?? "");
    const body = await readObject(c);
    const config = parseServerConfig(body.config);
    const toolCount = await countTools(ctx, account, config);
    const secret = newSecret();
    const at = isoNow(ctx);
    const server: ServerRecord = {
      id: newId("mcp"),
      accountId: account.id,
      name: requiredString(body, "name"),
      config,
      expiresAt: expiresAt(body, ctx.now()) ?? null,
      requireApiTokenAuth: optionalBoolean(body, "require_api_token_auth") ?? false,
      status: "active",
      tokenHash: hashSecret(secret),
      createdAt: at,
      updatedAt: at,
    };
    await ctx.registry.createServer(server);
    return c.json(
      { ...renderServer(server, serverUrl(ctx, c, secret)), tool_count: toolCount },
      201,
    );
  };
  admin.post("/accounts/:id/mcp-servers", create);
  // The seed's path (POST /integrated-account/:id/mcp), same body and answer.
  admin.post("/integrated-account/:id/mcp", create);

  admin.get("/accounts/:id/mcp-servers", async (c) => {
    const account = await requireAccount(ctx, c.req.param("id"));
    const servers = await Promise.all(
      (await ctx.registry.listServers(account.id)).map((s) => refresh(ctx, s)),
    );
    return c.json({ items: servers.map((s) => renderServer(s)) });
  });

  admin.get("/mcp-servers/:id", async (c) =>
    c.json(renderServer(await requireServer(ctx, c.req.param("id")))),
  );

  admin.patch("/mcp-servers/:id", async (c) => {
    const server = await requireServer(ctx, c.req.param("id"));
    const body = await readObject(c);
    const patch: ServerPatch = {};
    if (body.name !== undefined) patch.name = requiredString(body, "name");
    if (body.config !== undefined) {
      patch.config = parseServerConfig(body.config);
      await countTools(ctx, await requireAccount(ctx, server.accountId), patch.config);
    }
    const expiry = expiresAt(body, ctx.now());
    if (expiry !== undefined) {
      patch.expiresAt = expiry;
      // A new expiry in the future (or none) brings an expired server back.
      if (server.status === "expired") patch.status = "active";
    }
    const requireToken = optionalBoolean(body, "require_api_token_auth");
    if (requireToken !== undefined) patch.requireApiTokenAuth = requireToken;
    const updated = await ctx.registry.updateServer(server.id, patch, isoNow(ctx));
    return c.json(renderServer(updated ?? server));
  });

  admin.delete("/mcp-servers/:id", async (c) => {
    const server = await requireServer(ctx, c.req.param("id"));
    await ctx.registry.updateServer(server.id, { status: "deleted" }, isoNow(ctx));
    return c.body(null, 204);
  });

  admin.post("/mcp-servers/:id/rotate", async (c) => {
    const server = await requireServer(ctx, c.req.param("id"));
    const secret = newSecret();
    const rotated = await ctx.registry.rotateServerToken(
      server.id,
      hashSecret(secret),
      isoNow(ctx),
    );
    return c.json(renderServer(rotated ?? server, serverUrl(ctx, c, secret)));
  });
}

/** A server that is not deleted, with its expiry brought up to date; else a 404. */
export async function requireServer(ctx: GatewayContext, id: string): Promise<ServerRecord> {
  const server = await ctx.registry.getServer(id);
  if (!server || server.status === "deleted") {
    throw notFound(
      "mcp_server",
      "list an account's servers with GET /admin/accounts/:id/mcp-servers.",
    );
  }
  return refresh(ctx, server);
}

// Expiry is enforced at call time; reads mark it too, so the record says "expired" even
// if nobody called the server after it expired.
async function refresh(ctx: GatewayContext, server: ServerRecord): Promise<ServerRecord> {
  if (server.status !== "active" || !isExpired(server, ctx.now())) return server;
  return (await ctx.registry.updateServer(server.id, { status: "expired" }, isoNow(ctx))) ?? server;
}

async function countTools(
  ctx: GatewayContext,
  account: AccountRecord,
  config: ServerConfig,
): Promise<number> {
  const spec = await ctx.specFor(account.baseUrl);
  const view = viewOf(spec, config, openCredential(ctx.cipher, account));
  return config.mode === "dynamic" ? 3 : view.tools.length;
}

function serverUrl(
  ctx: GatewayContext,
  c: Context,
  secret: string,
): { url: string; proxyUrl: string } {
  const origin = (ctx.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, "");
  return { url: `${origin}/mcp/${secret}`, proxyUrl: `${origin}/proxy/${secret}` };
}
