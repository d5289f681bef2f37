import { POLAR_PRODUCTION_BASE_URL, POLAR_SANDBOX_BASE_URL } from "@polar-mcp/server";
import type { Hono } from "hono";
import { parseCredential } from "../crypto/credential-value.js";
import { newId } from "../crypto/secrets.js";
import { isoNow, type GatewayContext } from "../context.js";
import { GatewayError, GatewayHttpError } from "../errors.js";
import type { AccountRecord, PolarEnvironment } from "../registry/types.js";
import { notFound, readObject, requiredString } from "./body.js";
import { kindOf, renderAccount } from "./render.js";

/**
 * Accounts: `POST /admin/accounts` `{ name, access_token, server?: "production"|"sandbox",
 * base_url? }`, `GET /admin/accounts`, `GET|DELETE /admin/accounts/:id`. The token is
 * sealed with AES-256-GCM before it is stored and is never returned.
 */
export function registerAccountRoutes(admin: Hono, ctx: GatewayContext): void {
  // One account whose key is gone shows its error; the others (and the list) still answer.
  const show = (account: AccountRecord) => {
    const keyId = ctx.cipher.keyIdOf(account.credentialCiphertext);
    try {
      const credential = parseCredential(ctx.cipher.decrypt(account.credentialCiphertext));
      return renderAccount(account, kindOf(credential.accessToken), keyId, credential.kind);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      return renderAccount(account, null, keyId, null, {
        error: error.code,
        detail: error.message,
      });
    }
  };

  // Re-seals every account under the newest key; accounts no key opens are listed, not changed.
  admin.post("/accounts/reencrypt", async (c) => {
    let reencrypted = 0;
    let unchanged = 0;
    const failed: Array<{ id: string; error: string; detail: string }> = [];
    for (const account of await ctx.registry.listAccounts()) {
      if (ctx.cipher.keyIdOf(account.credentialCiphertext) === ctx.cipher.primaryKeyId) {
        unchanged += 1;
        continue;
      }
      let token: string;
      try {
        token = ctx.cipher.decrypt(account.credentialCiphertext);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        failed.push({ id: account.id, error: error.code, detail: error.message });
        continue;
      }
      await ctx.registry.updateAccountCredential(account.id, ctx.cipher.encrypt(token));
      reencrypted += 1;
    }
    return c.json({ key_id: ctx.cipher.primaryKeyId, reencrypted, unchanged, failed });
  });

  admin.post("/accounts", async (c) => {
    const body = await readObject(c);
    const name = requiredString(body, "name");
    const token = requiredString(body, "access_token", 4096);
    const { environment, baseUrl } = targetOf(body);
    const account: AccountRecord = {
      id: newId("acc"),
      name,
      environment,
      baseUrl,
      credentialCiphertext: ctx.cipher.encrypt(token),
      createdAt: isoNow(ctx),
    };
    await ctx.registry.createAccount(account);
    return c.json(show(account), 201);
  });

  admin.get("/accounts", async (c) =>
    c.json({ items: (await ctx.registry.listAccounts()).map(show) }),
  );

  admin.get("/accounts/:id", async (c) =>
    c.json(show(await requireAccount(ctx, c.req.param("id")))),
  );

  admin.delete("/accounts/:id", async (c) => {
    const id = c.req.param("id");
    if (!(await ctx.registry.deleteAccount(id, isoNow(ctx)))) throw accountNotFound();
    ctx.accounts.forget(id);
    return c.body(null, 204);
  });
}

/** The account of a path parameter, or a 404 that says how to find valid ids. */
export async function requireAccount(ctx: GatewayContext, id: string): Promise<AccountRecord> {
  const account = await ctx.registry.getAccount(id);
  if (!account) throw accountNotFound();
  return account;
}

function accountNotFound(): GatewayHttpError {
  return notFound("account", "list accounts with GET /admin/accounts.");
}

/** Where an account's Polar lives, from `server` / `base_url` of an admin body. */
export function targetOf(body: Record<string, unknown>): {
  environment: PolarEnvironment;
  baseUrl: string;
} {
  const server = body.server;
  const baseUrl = body.base_url;
  if (server !== undefined && server !== "production" && server !== "sandbox") {
    throw new GatewayHttpError(
      422,
      "invalid_field",
      'server must be "production" or "sandbox" (or give base_url).',
    );
  }
  if (baseUrl !== undefined) {
    if (
      typeof baseUrl !== "string" ||
      !/^https?:\/\/[^\s/]+/i.test(baseUrl) ||
      !URL.canParse(baseUrl)
    ) {
      throw new GatewayHttpError(
        422,
        "invalid_field",
        "base_url must be an http(s) URL such as http://127.0.0.1:8787.",
      );
    }
    return { environment: server ?? "custom", baseUrl: baseUrl.replace(/\/+$/, "") };
  }
  return server === "sandbox"
    ? { environment: "sandbox", baseUrl: POLAR_SANDBOX_BASE_URL }
    : { environment: "production", baseUrl: POLAR_PRODUCTION_BASE_URL };
}
