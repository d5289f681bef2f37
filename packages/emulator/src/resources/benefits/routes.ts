import type { EmulatorContext } from "../../context.js";
import { invalid, notFound, notPermitted } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { revokeAllGrants } from "../benefit-grants/service.js";
import { benefitGrantRead, benefitGrants } from "../benefit-grants/store.js";
import { metadataMatches } from "../metadata-filter.js";
import { organizationFilterAdmits, organizationForCreate, organizationOf } from "../scope.js";
import { normalizeProperties } from "./properties.js";
import { createBenefit } from "./service.js";
import { benefitRead, benefits, findBenefit, type BenefitRecord } from "./store.js";

const byId = (req: OperationRequest, ctx: EmulatorContext): BenefitRecord => {
  const record = findBenefit(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!record) throw notFound();
  return record;
};

export const benefitHandlers: OperationHandlers = {
  "benefits:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const types = asList(req.query.type);
    const ids = asList(req.query.id);
    const excluded = asList(req.query.exclude_id) ?? [];
    const q = typeof req.query.query === "string" ? req.query.query.toLowerCase() : undefined;
    const items = benefits(ctx)
      .byOrganization(organizationId)
      .filter((b) => !b.is_deleted)
      .filter((b) => !types || types.includes(b.type))
      .filter((b) => !ids || ids.includes(b.id))
      .filter((b) => !excluded.includes(b.id))
      .filter((b) => !q || b.description.toLowerCase().includes(q))
      .filter((b) => metadataMatches(b.metadata, req.query.metadata, req.url));
    const sorted = sortBy(items, req.query.sorting, {
      created_at: (b) => b.created_at,
      description: (b) => b.description,
      type: (b) => b.type,
      // Polar's dashboard order; the emulator has none, so creation order stands in.
      user_order: (b) => b.created_at,
    });
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((b) => benefitRead(ctx, b)) };
  },
  "benefits:create": (req, ctx) => {
    const created = createBenefit(ctx, organizationForCreate(req.principal, req.body), req.body);
    ctx.bus.emit("benefit.created", { benefitId: created.id });
    return benefitRead(ctx, created);
  },
  "benefits:get": (req, ctx) => benefitRead(ctx, byId(req, ctx)),
  "benefits:update": (req, ctx) => {
    const record = byId(req, ctx);
    const body = req.body as Record<string, unknown>;
    if (body.type !== record.type)
      throw invalid(
        ["body", "type"],
        `Input should be '${record.type}'`,
        body.type,
        "literal_error",
      );
    const updated: BenefitRecord = { ...record, modified_at: iso(ctx.clock.now()) };
    if (typeof body.description === "string") updated.description = body.description;
    if (body.visibility) updated.visibility = body.visibility as BenefitRecord["visibility"];
    if (body.metadata) updated.metadata = body.metadata as BenefitRecord["metadata"];
    if (body.properties) {
      updated.properties = normalizeProperties(
        ctx,
        record.organization_id,
        record.type,
        body.properties as Record<string, unknown>,
      );
    }
    benefits(ctx).put(updated);
    ctx.bus.emit("benefit.updated", { benefitId: updated.id });
    return benefitRead(ctx, updated);
  },
  "benefits:delete": (req, ctx) => {
    const record = byId(req, ctx);
    if (!record.deletable) throw notPermitted("This benefit cannot be deleted.");
    ctx.store.transaction(() => {
      // Polar revokes every grant of a deleted benefit (license keys become revoked).
      revokeAllGrants(ctx, { benefitId: record.id });
      const now = iso(ctx.clock.now());
      benefits(ctx).put({ ...record, is_deleted: true, deleted_at: now, modified_at: now });
    });
    return undefined;
  },
  "benefits:grants": (req, ctx) => {
    const benefit = byId(req, ctx);
    const customerIds = asList(req.query.customer_id);
    const memberIds = asList(req.query.member_id);
    const isGranted = req.query.is_granted;
    const items = benefitGrants(ctx)
      .findBy("benefit_id", benefit.id)
      .filter((g) => typeof isGranted !== "boolean" || g.is_granted === isGranted)
      .filter((g) => !customerIds || customerIds.includes(g.customer_id))
      .filter((g) => !memberIds || (g.member_id !== null && memberIds.includes(g.member_id)))
      .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
    const page = paginate(items, req.query);
    return { ...page, items: page.items.map((g) => benefitGrantRead(ctx, g)) };
  },
};
