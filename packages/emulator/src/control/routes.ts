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
    const expiresAt = tokenExpiry(body, ctx.clock.now());
    const token = createOrganizationToken(ctx, body.organization_id, {
      ...(scopes ? { scopes } : {}),
      ...(typeof body.comment === "string" ? { comment: body.comment } : {}),
      ...(expiresAt ? { expiresAt } : {}),
    });
    return c.json(
      {
        id: token.id,
        token: token.token,
        organization_id: token.organization_id,
        scopes: token.scopes,
        expires_at: token.expires_at ?? null,
      },
      201,
    );
  });
}

/**
 * When a control-plane token expires: `expires_in` seconds from the emulator's clock, or an
 * `expires_at` date-time; neither means never. The emulator's clock decides, so advancing it
 * (`POST /__emulator/clock/advance`) expires the token.
 */
function tokenExpiry(body: Record<string, unknown>, now: Date): string | undefined {
  const { expires_in: expiresIn, expires_at: expiresAt } = body;
  if (
    expiresIn !== undefined &&
    expiresIn !== null &&
    expiresAt !== undefined &&
    expiresAt !== null
  )
    throw invalid(["body"], "Give expires_in or expires_at, not both.", body, "value_error");
  if (expiresIn !== undefined && expiresIn !== null) {
    if (typeof expiresIn !== "number" || !Number.isInteger(expiresIn) || expiresIn <= 0)
      throw invalid(
        ["body", "expires_in"],
        "Input should be a positive whole number of seconds",
        expiresIn,
        "int_type",
      );
    return new Date(now.getTime() + expiresIn * 1000).toISOString();
  }
  if (expiresAt !== undefined && expiresAt !== null) {
    const time = typeof expiresAt === "string" ? Date.parse(expiresAt) : Number.NaN;
    if (Number.isNaN(time))
      throw invalid(
        ["body", "expires_at"],
        "Input should be a valid datetime (ISO 8601, e.g. 2026-12-31T00:00:00Z)",
        expiresAt,
        "datetime_parsing",
      );
    return new Date(time).toISOString();
  }
  return undefined;
}
