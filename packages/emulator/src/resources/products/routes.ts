import type { EmulatorContext } from "../../context.js";
import { invalid, notFound } from "../../http/errors.js";
import { asList, paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { findBenefit } from "../benefits/store.js";
import { metadataMatches } from "../metadata-filter.js";
import { organizationFilterAdmits, organizationForCreate, organizationOf } from "../scope.js";
import { createPrice, createProduct } from "./service.js";
import { findProduct, productRead, products, type ProductRecord } from "./store.js";

const byId = (req: OperationRequest, ctx: EmulatorContext): ProductRecord => {
  const record = findProduct(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!record) throw notFound();
  return record;
};

/** Metered prices bill a meter of the same organization (Polar's check, beyond the schema). */
function assertMetersExist(
  ctx: EmulatorContext,
  organizationId: string,
  prices: Record<string, unknown>[],
): void {
  prices.forEach((price, index) => {
    if (price.amount_type !== "metered_unit") return;
    const meter = ctx.store.peek("meters", String(price.meter_id));
    if (!meter || meter.organization_id !== organizationId)
      throw invalid(["body", "prices", index, "meter_id"], "Meter does not exist.", price.meter_id);
  });
}

const firstPrice = (p: ProductRecord) => p.prices.find((price) => !price.is_archived);

export const productHandlers: OperationHandlers = {
  "products:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const ids = asList(req.query.id);
    const benefitIds = asList(req.query.benefit_id);
    const visibilities = asList(req.query.visibility);
    const q = typeof req.query.query === "string" ? req.query.query.toLowerCase() : undefined;
    const archived = req.query.is_archived;
    const recurring = req.query.is_recurring;
    const items = products(ctx)
      .byOrganization(organizationId)
      .filter((p) => !ids || ids.includes(p.id))
      .filter((p) => typeof archived !== "boolean" || p.is_archived === archived)
      .filter((p) => typeof recurring !== "boolean" || p.is_recurring === recurring)
      .filter((p) => !benefitIds || p.benefit_ids.some((id) => benefitIds.includes(id)))
      .filter((p) => !visibilities || visibilities.includes(p.visibility))
      .filter((p) => !q || p.name.toLowerCase().includes(q))
      .filter((p) => metadataMatches(p.metadata, req.query.metadata, req.url));
    const sorted = sortBy(items, req.query.sorting, {
      created_at: (p) => p.created_at,
      name: (p) => p.name,
      price_amount_type: (p) => firstPrice(p)?.amount_type,
      price_amount: (p) => firstPrice(p)?.price_amount as number | undefined,
    });
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((p) => productRead(ctx, p)) };
  },
  "products:create": (req, ctx) => {
    const organizationId = organizationForCreate(req.principal, req.body);
    assertMetersExist(ctx, organizationId, req.body.prices);
    const created = createProduct(ctx, organizationId, req.body);
    ctx.bus.emit("product.created", { productId: created.id });
    return productRead(ctx, created);
  },
  "products:get": (req, ctx) => productRead(ctx, byId(req, ctx)),
  "products:update": (req, ctx) => {
    const record = byId(req, ctx);
    const body = req.body as Record<string, unknown>;
    const updated: ProductRecord = { ...record, modified_at: iso(ctx.clock.now()) };
    const patch: Record<string, unknown> = updated;
    for (const field of ["name", "description", "visibility", "metadata", "is_archived"]) {
      if (field in body && body[field] !== null) patch[field] = body[field];
    }
    for (const field of ["trial_interval", "trial_interval_count"]) {
      if (field in body) patch[field] = body[field];
    }
    if ("description" in body) updated.description = (body.description as string | null) ?? null;
    if (Array.isArray(body.prices)) {
      // Prices not listed are archived, as Polar does; `{ id }` keeps an existing price.
      const entries = body.prices as Record<string, unknown>[];
      const kept = new Set(entries.filter((e) => !e.amount_type).map((e) => String(e.id)));
      entries.forEach((entry, index) => {
        if (!entry.amount_type && !record.prices.some((p) => p.id === entry.id))
          throw invalid(["body", "prices", index, "id"], "Price does not exist.", entry.id);
      });
      const fresh = entries.filter((e) => e.amount_type);
      // As Polar's get_validated_prices: a product keeps at least one price.
      if (entries.length === 0)
        throw invalid(["body", "prices"], "At least one price is required.", entries, "too_short");
      assertMetersExist(ctx, record.organization_id, fresh);
      updated.prices = [
        ...record.prices.map((p) => (kept.has(p.id) ? p : { ...p, is_archived: true })),
        ...fresh.map((e) => createPrice(ctx, record.id, e)),
      ];
    }
    products(ctx).put(updated);
    ctx.bus.emit("product.updated", { productId: updated.id });
    return productRead(ctx, updated);
  },
  "products:update_benefits": (req, ctx) => {
    const record = byId(req, ctx);
    const ids = req.body.benefits as string[];
    ids.forEach((id, index) => {
      if (!findBenefit(ctx, record.organization_id, id))
        throw invalid(["body", "benefits", index], "Benefit does not exist.", id);
    });
    const updated = products(ctx).put({
      ...record,
      benefit_ids: [...new Set(ids)],
      modified_at: iso(ctx.clock.now()),
    });
    ctx.bus.emit("product.updated", { productId: updated.id });
    return productRead(ctx, updated);
  },
};
