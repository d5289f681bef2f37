import type { Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import { organizations } from "../resources/organizations/store.js";
import { createOrganizationToken } from "../tokens/tokens.js";
import { DashboardAssets } from "./assets.js";

/** Where the built files are served; the page itself is `GET /`. */
export const DASHBOARD_ASSET_PREFIX = "/__emulator/ui/";
const TOKEN_COMMENT = "emulator dashboard";

/**
 * The inspector: `GET /` serves the dashboard (built with Vite, see `ui/`), which reads
 * everything through the emulator's own `/v1` API with an organization token it gets from
 * `GET /__emulator/dashboard/session`, and acts through the control plane. Both are under
 * `/__emulator/`, so the control plane's guard refuses cross-site pages; the dashboard is
 * same-origin.
 */
export function registerDashboardRoutes(
  app: Hono,
  ctx: EmulatorContext,
  assets = new DashboardAssets(),
): void {
  const serve = async (path: string, cache: string) => {
    const asset = await assets.read(path);
    // As the app's own 404 for an unknown path.
    if (!asset) return Response.json({ detail: "Not Found" }, { status: 404 });
    return new Response(asset.body, {
      headers: { "Content-Type": asset.contentType, "Cache-Control": cache },
    });
  };

  app.get("/", () => serve("index.html", "no-cache"));
  app.get(`${DASHBOARD_ASSET_PREFIX}*`, (c) =>
    serve(
      decodeURIComponent(c.req.path.slice(DASHBOARD_ASSET_PREFIX.length)),
      "public, max-age=31536000, immutable",
    ),
  );

  /** Each organization with a token for the dashboard (one per organization, reused). */
  app.get("/__emulator/dashboard/session", (c) => {
    const orgs = organizations(ctx)
      .all()
      .map((org) => {
        const kept = ctx.tokens
          .byOrganization(org.id)
          .find((token) => token.comment === TOKEN_COMMENT);
        const token = kept ?? createOrganizationToken(ctx, org.id, { comment: TOKEN_COMMENT });
        return { id: org.id, name: org.name, slug: org.slug, token: token.token };
      });
    return c.json({ now: ctx.clock.now().toISOString(), organizations: orgs });
  });
}
