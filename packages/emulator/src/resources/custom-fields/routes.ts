import type { EmulatorContext } from "../../context.js";
import { invalid, notFound } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import type { Collection } from "../../store/collection.js";
import { organizationFilterAdmits, organizationForCreate, organizationOf } from "../scope.js";

/** A checkout field the merchant defines (text, number, date, checkbox, select). */
interface CustomFieldRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  type: "text" | "number" | "date" | "checkbox" | "select";
  slug: string;
  name: string;
  properties: Record<string, unknown>;
  metadata: Record<string, string | number | boolean>;
  [key: string]: unknown;
}

const customFields = (ctx: EmulatorContext): Collection<CustomFieldRecord> =>
  ctx.store.collection<CustomFieldRecord>("custom_fields", {});

const TYPE_SCHEMA: Record<CustomFieldRecord["type"], string> = {
  text: "CustomFieldText",
  number: "CustomFieldNumber",
  date: "CustomFieldDate",
  checkbox: "CustomFieldCheckbox",
  select: "CustomFieldSelect",
};
const read = (ctx: EmulatorContext, field: CustomFieldRecord) =>
  ctx.shaper.shape(TYPE_SCHEMA[field.type], field);

const byId = (req: OperationRequest, ctx: EmulatorContext): CustomFieldRecord => {
  const record = customFields(ctx).get(req.path.id ?? "");
  if (!record || record.organization_id !== organizationOf(req.principal)) throw notFound();
  return record;
};

/** Slugs are unique per organization (Polar's 422). */
function assertSlug(ctx: EmulatorContext, organizationId: string, slug: unknown, selfId?: string) {
  if (typeof slug !== "string") return;
  const other = customFields(ctx)
    .byOrganization(organizationId)
    .find((f) => f.slug === slug && f.id !== selfId);
  if (other) throw invalid(["body", "slug"], "Custom field with this slug already exists.", slug);
}

export const customFieldHandlers: OperationHandlers = {
  "custom-fields:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const types = asList(req.query.type);
    const q = typeof req.query.query === "string" ? req.query.query.toLowerCase() : undefined;
    const items = customFields(ctx)
      .byOrganization(organizationId)
      .filter((f) => !types || types.includes(f.type))
      .filter((f) => !q || f.name.toLowerCase().includes(q) || f.slug.includes(q));
    const sorted = sortBy(items, req.query.sorting, {
      created_at: (f) => f.created_at,
      slug: (f) => f.slug,
      name: (f) => f.name,
      type: (f) => f.type,
    });
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((f) => read(ctx, f)) };
  },
  "custom-fields:create": (req, ctx) => {
    const organizationId = organizationForCreate(req.principal, req.body);
    const body = req.body as CustomFieldRecord;
    assertSlug(ctx, organizationId, body.slug);
    const record = customFields(ctx).insert({
      id: newId(),
      organization_id: organizationId,
      created_at: iso(ctx.clock.now()),
      modified_at: null,
      type: body.type,
      slug: body.slug,
      name: body.name,
      properties: body.properties ?? {},
      metadata: body.metadata ?? {},
    });
    return read(ctx, record);
  },
  "custom-fields:get": (req, ctx) => read(ctx, byId(req, ctx)),
  "custom-fields:update": (req, ctx) => {
    const field = byId(req, ctx);
    const body = req.body as Partial<CustomFieldRecord>;
    assertSlug(ctx, field.organization_id, body.slug, field.id);
    const next = customFields(ctx).put({
      ...field,
      ...(body.name ? { name: body.name } : {}),
      ...(body.slug ? { slug: body.slug } : {}),
      ...(body.properties ? { properties: { ...field.properties, ...body.properties } } : {}),
      ...(body.metadata ? { metadata: body.metadata } : {}),
      modified_at: iso(ctx.clock.now()),
    });
    return read(ctx, next);
  },
  "custom-fields:delete": (req, ctx) => {
    customFields(ctx).delete(byId(req, ctx).id);
    return undefined;
  },
};
