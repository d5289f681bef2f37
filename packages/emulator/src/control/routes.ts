import type { Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import { invalid } from "../http/errors.js";
import { createOrganization } from "../resources/organizations/store.js";
import { seedDemo } from "../seed/demo.js";
import { readControlBody } from "./body.js";
import { controlPlaneGuard } from "./guard.js";
import { registerGrantControlRoutes } from "./grants.js";
import { createOrganizationToken } from "../tokens/tokens.js";

/**
 * The emulator's control plane, under `/__emulator/` (never `/v1`): what real Polar does
 * through its dashboard or over time, a test does here. Documented in the package README.
 */
export function registerControlRoutes(
  app: Hono,
  ctx: EmulatorContext,
  allowedHosts?: readonly string[],
): void {
  app.use(
    "/__emulator/*",
    controlPlaneGuard({ baseUrl: () => ctx.baseUrl, ...(allowedHosts ? { allowedHosts } : {}) }),
  );
  app.get("/__emulator/health", (c) => c.json({ ok: true, now: ctx.clock.now().toISOString() }));

  app.post("/__emulator/reset", (c) => {
    ctx.store.reset();
    return c.json({ ok: true });
  });

  registerGrantControlRoutes(app, ctx);

  app.post("/__emulator/seed/demo", (c) => c.json(seedDemo(ctx)));

  app.post("/__emulator/organizations", async (c) => {
    const body = await readControlBody(c.req.raw);
    if (typeof body.name !== "string" || body.name === "")
      throw invalid(["body", "name"], "Field required", body.name ?? null, "missing");
    const organization = createOrganization(ctx, {
      name: body.name,
      ...(typeof body.slug === "string" ? { slug: body.slug } : {}),
    });
    return c.json(ctx.shaper.shape("Organization", organization), 201);
  });

  app.post("/__emulator/tokens", async (c) => {
    const body = await readControlBody(c.req.raw);
    if (typeof body.organization_id !== "string") {
      throw invalid(
        ["body", "organization_id"],
        "Field required",
        body.organization_id ?? null,
        "missing",
      );
    }
    const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : undefined;
    const token = createOrganizationToken(ctx, body.organization_id, {
      ...(scopes ? { scopes } : {}),
      ...(typeof body.comment === "string" ? { comment: body.comment } : {}),
    });
    return c.json(
      {
        id: token.id,
        token: token.token,
        organization_id: token.organization_id,
        scopes: token.scopes,
      },
      201,
    );
  });
}
