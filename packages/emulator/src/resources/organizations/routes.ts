import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { organizationOf } from "../scope.js";
import { organizations, type OrganizationRecord } from "./store.js";

const read = (ctx: EmulatorContext, record: OrganizationRecord) =>
  ctx.shaper.shape("Organization", record);

function visible(req: OperationRequest, ctx: EmulatorContext, id: string): OrganizationRecord {
  const record = organizations(ctx).get(id);
  if (!record || record.id !== organizationOf(req.principal)) throw notFound();
  return record;
}

export const organizationHandlers: OperationHandlers = {
  "organizations:list": (req, ctx) => {
    const own = organizations(ctx).get(organizationOf(req.principal));
    let items = own ? [own] : [];
    if (typeof req.query.slug === "string") items = items.filter((o) => o.slug === req.query.slug);
    const sorted = sortBy(
      items,
      req.query.sorting,
      { created_at: (o) => o.created_at, slug: (o) => o.slug, name: (o) => o.name },
      ["created_at"],
    );
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((o) => read(ctx, o)) };
  },
  "organizations:get": (req, ctx) => read(ctx, visible(req, ctx, req.path.id ?? "")),
  "organizations:update": (req, ctx) => {
    const record = visible(req, ctx, req.path.id ?? "");
    const body = req.body as Record<string, unknown>;
    const updated = { ...record };
    for (const key of [
      "name",
      "email",
      "website",
      "avatar_url",
      "socials",
      "default_presentment_currency",
      // e.g. allow_multiple_subscriptions, which checkouts check (AlreadyActiveSubscriptionError)
      "subscription_settings",
    ]) {
      if (key in body) updated[key] = body[key];
    }
    updated.modified_at = iso(ctx.clock.now());
    organizations(ctx).put(updated);
    ctx.bus.emit("organization.updated", { organizationId: updated.id });
    return read(ctx, updated);
  },
};
