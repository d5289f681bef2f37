import type { Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import { invalid } from "../http/errors.js";
import { createOrganization } from "../resources/organizations/store.js";
import { seedDemo } from "../seed/demo.js";
import { createOrganizationToken } from "../tokens/tokens.js";

async function json(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalid(["body"], "Expected a JSON object.", text.slice(0, 100), "json_invalid");
}

/**
 * The emulator's control plane, under `/__emulator/` (never `/v1`): what real Polar does
 * through its dashboard or over time, a test does here. Documented in the package README.
 */
export function registerControlRoutes(app: Hono, ctx: EmulatorContext): void {
  app.get("/__emulator/health", (c) => c.json({ ok: true, now: ctx.clock.now().toISOString() }));

  app.post("/__emulator/reset", (c) => {
    ctx.store.reset();
    return c.json({ ok: true });
  });

  app.post("/__emulator/seed/demo", (c) => c.json(seedDemo(ctx)));

  app.post("/__emulator/organizations", async (c) => {
    const body = await json(c.req.raw);
    if (typeof body.name !== "string" || body.name === "")
      throw invalid(["body", "name"], "Field required", body.name ?? null, "missing");
    const organization = createOrganization(ctx, {
      name: body.name,
      ...(typeof body.slug === "string" ? { slug: body.slug } : {}),
    });
    return c.json(ctx.shaper.shape("Organization", organization), 201);
  });

  app.post("/__emulator/tokens", async (c) => {
    const body = await json(c.req.raw);
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
