import type { Hono } from "hono";
import type { GatewayContext } from "../context.js";
import { GatewayHttpError } from "../errors.js";
import type { CallQuery } from "../registry/types.js";
import { renderCall } from "./render.js";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/**
 * The audit log: `GET /admin/audit?account_id=&server_id=&before=&limit=`, newest first.
 * Page with `before` = the `at` of the last entry seen.
 */
export function registerAuditRoutes(admin: Hono, ctx: GatewayContext): void {
  admin.get("/audit", async (c) => {
    const query: CallQuery = { limit: limitOf(c.req.query("limit")) };
    const accountId = c.req.query("account_id");
    const serverId = c.req.query("server_id");
    const before = c.req.query("before");
    if (accountId) query.accountId = accountId;
    if (serverId) query.serverId = serverId;
    if (before) {
      if (Number.isNaN(Date.parse(before))) {
        throw new GatewayHttpError(
          422,
          "invalid_field",
          "before must be an ISO 8601 time (the at of an entry).",
        );
      }
      query.before = new Date(before).toISOString();
    }
    // Entries of calls this process just answered are written first.
    await ctx.audit.flush();
    return c.json({ items: (await ctx.registry.listCalls(query)).map(renderCall) });
  });
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new GatewayHttpError(
      422,
      "invalid_field",
      `limit must be a whole number from 1 to ${MAX_LIMIT}.`,
    );
  }
  return Math.min(n, MAX_LIMIT);
}
