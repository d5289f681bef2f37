import type { Hono } from "hono";
import { hashSecret, newId, newSecret } from "../crypto/secrets.js";
import { isoNow, type GatewayContext } from "../context.js";
import type { ApiTokenRecord } from "../registry/types.js";
import { requireAccount } from "./accounts.js";
import { notFound, readObject, requiredString } from "./body.js";
import { renderApiToken } from "./render.js";

/** Prefix of gateway API tokens, so they are recognisable in configs and secret scanners. */
export const API_TOKEN_PREFIX = "pmg_";

/**
 * Gateway API tokens, the second credential of servers with `require_api_token_auth`.
 * Each belongs to one account and works only for that account's servers; the token is
 * shown once, at creation.
 */
export function registerApiTokenRoutes(admin: Hono, ctx: GatewayContext): void {
  admin.post("/accounts/:id/api-tokens", async (c) => {
    const account = await requireAccount(ctx, c.req.param("id"));
    const body = await readObject(c);
    const secret = newSecret(API_TOKEN_PREFIX);
    const token: ApiTokenRecord = {
      id: newId("tok"),
      accountId: account.id,
      name: requiredString(body, "name"),
      tokenHash: hashSecret(secret),
      createdAt: isoNow(ctx),
    };
    await ctx.registry.createApiToken(token);
    return c.json(renderApiToken(token, secret), 201);
  });

  admin.get("/accounts/:id/api-tokens", async (c) => {
    const account = await requireAccount(ctx, c.req.param("id"));
    return c.json({
      items: (await ctx.registry.listApiTokens(account.id)).map((t) => renderApiToken(t)),
    });
  });

  admin.delete("/api-tokens/:id", async (c) => {
    const id = c.req.param("id");
    if (!(await ctx.registry.deleteApiToken(id))) {
      throw notFound(
        "api_token",
        "list an account's tokens with GET /admin/accounts/:id/api-tokens.",
      );
    }
    return c.body(null, 204);
  });
}
