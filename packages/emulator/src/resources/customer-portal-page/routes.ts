import type { Context, Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { HttpError } from "../../http/errors.js";
import { subscriptions } from "../subscriptions/store.js";
import { updateSubscription } from "../subscriptions/update.js";
import { renderPortalExpired, renderPortalPage } from "./page.js";
import { portalSession, type PortalSession } from "./session.js";
import { portalView } from "./view.js";

const TOKEN = "customer_session_token";

/** Pages carrying a session token are never cached nor leaked through Referer. */
const PRIVATE = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

const portalPath = (slug: string) => `/portal/${encodeURIComponent(slug)}`;

async function formToken(c: Context): Promise<string | undefined> {
  const form = await c.req.formData().catch(() => undefined);
  const value = form?.get(TOKEN);
  return typeof value === "string" ? value : undefined;
}

/**
 * The customer portal the API's `customer_portal_url` points to (`/portal/{slug}?customer_session_token=…`):
 * GET renders it; POST `…/subscriptions/{id}/cancel` cancels at period end and
 * `…/uncancel` keeps the subscription, through the same service as
 * `customer_portal:subscriptions:update`, then redirects (303) back to the portal.
 */
export function registerCustomerPortalPages(app: Hono, ctx: EmulatorContext): void {
  const page = (c: Context, session: PortalSession, slug: string, extra = {}, status = 200) =>
    c.html(
      renderPortalPage(portalView(ctx, session, extra), portalPath(slug)),
      status as 200,
      PRIVATE,
    );

  app.get("/portal/:slug", (c) => {
    const slug = c.req.param("slug");
    const session = portalSession(ctx, slug, c.req.query(TOKEN));
    if (!session) return c.html(renderPortalExpired(), 401, PRIVATE);
    return page(c, session, slug);
  });

  const subscriptionAction = (action: "cancel" | "uncancel") =>
    app.post(`/portal/:slug/subscriptions/:id/${action}`, async (c) => {
      const slug = c.req.param("slug");
      const token = await formToken(c);
      const session = portalSession(ctx, slug, token);
      if (!session || !token) return c.html(renderPortalExpired(), 401, PRIVATE);
      const subscription = subscriptions(ctx).get(c.req.param("id"));
      if (!subscription || subscription.customer_id !== session.customer.id)
        return page(c, session, slug, { error: "Subscription not found." }, 404);
      try {
        updateSubscription(ctx, subscription, { cancel_at_period_end: action === "cancel" });
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        return page(c, session, slug, { error: String(error.detail) }, error.status);
      }
      return c.redirect(`${portalPath(slug)}?${TOKEN}=${encodeURIComponent(token)}`, 303);
    });
  subscriptionAction("cancel");
  subscriptionAction("uncancel");
}
