import { Hono } from "hono";
import type { GatewayContext } from "../context.js";
import { registerAccountRoutes } from "./accounts.js";
import { registerApiTokenRoutes } from "./api-tokens.js";
import { registerAuditRoutes } from "./audit.js";
import { adminAuth } from "./auth.js";
import { registerServerRoutes } from "./servers.js";

/** The admin API, mounted at `/admin`, every route behind the admin key. */
export function createAdminApp(ctx: GatewayContext): Hono {
  const admin = new Hono();
  admin.use("*", adminAuth(ctx.adminKeyHash));
  registerAccountRoutes(admin, ctx);
  registerServerRoutes(admin, ctx);
  registerApiTokenRoutes(admin, ctx);
  registerAuditRoutes(admin, ctx);
  return admin;
}
