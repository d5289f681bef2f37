import { invalid, unauthorized } from "../../http/errors.js";
import type { OperationHandlers } from "../../http/operation.js";
import { createOrganization, organizations } from "./store.js";

/**
 * `POST /v1/organizations/`: a user creates an organization (Polar accepts user tokens only:
 * an organization token cannot make another organization, 401). The emulator's test user is
 * a member of every organization, so the new one is selectable at the next consent.
 */
export const organizationCreateHandlers: OperationHandlers = {
  "organizations:create": (req, ctx) => {
    if (req.principal.kind !== "organization" || req.principal.userId === undefined) {
      throw unauthorized();
    }
    const body = req.body as { name: string; slug: string; [key: string]: unknown };
    if (organizations(ctx).findBy("slug", body.slug).length > 0) {
      throw invalid(["body", "slug"], "An organization with this slug already exists.", body.slug);
    }
    const created = createOrganization(ctx, { name: body.name, slug: body.slug });
    const record = { ...created };
    for (const key of [
      "email",
      "website",
      "avatar_url",
      "socials",
      "default_presentment_currency",
      "subscription_settings",
    ]) {
      if (body[key] !== undefined && body[key] !== null) record[key] = body[key];
    }
    organizations(ctx).put(record);
    return ctx.shaper.shape("Organization", record);
  },
};
