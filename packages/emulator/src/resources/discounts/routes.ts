import type { EmulatorContext } from "../../context.js";
import { invalid, notFound } from "../../http/errors.js";
import { paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import { findProduct } from "../products/store.js";
import { organizationFilterAdmits, organizationForCreate, organizationOf } from "../scope.js";
import {
  discountRead,
  discounts,
  findDiscount,
  findDiscountByCode,
  type DiscountRecord,
} from "./store.js";

const byId = (req: OperationRequest, ctx: EmulatorContext): DiscountRecord => {
  const record = findDiscount(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!record) throw notFound();
  return record;
};

function assertProducts(ctx: EmulatorContext, organizationId: string, ids: unknown) {
  if (!Array.isArray(ids)) return [];
  return ids.map(String).map((id, index) => {
    if (!findProduct(ctx, organizationId, id))
      throw invalid(["body", "products", index], "Product does not exist.", id);
    return id;
  });
}

function assertCode(ctx: EmulatorContext, organizationId: string, code: unknown, selfId?: string) {
  if (typeof code !== "string") return;
  const other = findDiscountByCode(ctx, organizationId, code);
  if (other && other.id !== selfId)
    throw invalid(["body", "code"], "Discount with this code already exists.", code);
}

/** Writes the type-specific amount fields (fixed: amount and currency; percentage: basis points). */
function amounts(body: Record<string, unknown>, type: "fixed" | "percentage") {
  if (type === "percentage")
    return { basis_points: Number(body.basis_points), amount: null, currency: null };
  const currencies = (body.amounts as Record<string, number> | null | undefined) ?? {};
  const [currency, amount] = Object.entries(currencies)[0] ?? [body.currency ?? "usd", body.amount];
  return { amount: Number(amount ?? 0), currency: String(currency), basis_points: null };
}

export const discountHandlers: OperationHandlers = {
  "discounts:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const q = typeof req.query.query === "string" ? req.query.query.toLowerCase() : undefined;
    const items = discounts(ctx)
      .byOrganization(organizationId)
      .filter((d) => !d.deleted_at)
      .filter((d) => !q || d.name.toLowerCase().includes(q) || d.code?.toLowerCase().includes(q));
    const sorted = sortBy(items, req.query.sorting, {
      created_at: (d) => d.created_at,
      name: (d) => d.name,
      code: (d) => d.code,
      redemptions_count: (d) => d.redemptions_count,
    });
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((d) => discountRead(ctx, d)) };
  },
  "discounts:create": (req, ctx) => {
    const organizationId = organizationForCreate(req.principal, req.body);
    const body = req.body as Record<string, unknown>;
    const type =
      body.type === "percentage" || body.basis_points !== undefined ? "percentage" : "fixed";
    assertCode(ctx, organizationId, body.code);
    const record: DiscountRecord = {
      id: newId(),
      organization_id: organizationId,
      created_at: iso(ctx.clock.now()),
      modified_at: null,
      name: String(body.name),
      code: (body.code as string | null | undefined) ?? null,
      type,
      duration: body.duration as DiscountRecord["duration"],
      duration_in_months: (body.duration_in_months as number | null | undefined) ?? null,
      ...amounts(body, type),
      starts_at: (body.starts_at as string | null | undefined) ?? null,
      ends_at: (body.ends_at as string | null | undefined) ?? null,
      max_redemptions: (body.max_redemptions as number | null | undefined) ?? null,
      max_redemptions_per_customer:
        (body.max_redemptions_per_customer as number | null | undefined) ?? null,
      redemptions_count: 0,
      product_ids: assertProducts(ctx, organizationId, body.products),
      metadata: (body.metadata as DiscountRecord["metadata"] | undefined) ?? {},
      deleted_at: null,
    };
    discounts(ctx).insert(record);
    ctx.bus.emit("discount.created", { discountId: record.id });
    return discountRead(ctx, record);
  },
  "discounts:get": (req, ctx) => discountRead(ctx, byId(req, ctx)),
  "discounts:update": (req, ctx) => {
    const discount = byId(req, ctx);
    const body = req.body as Record<string, unknown>;
    assertCode(ctx, discount.organization_id, body.code, discount.id);
    const next: DiscountRecord = { ...discount, modified_at: iso(ctx.clock.now()) };
    const fields = next as Record<string, unknown>;
    for (const key of [
      "name",
      "code",
      "starts_at",
      "ends_at",
      "max_redemptions",
      "max_redemptions_per_customer",
      "duration",
      "duration_in_months",
      "metadata",
    ]) {
      if (key in body && (body[key] !== null || key !== "name")) fields[key] = body[key];
    }
    if (body.type === "fixed" || body.type === "percentage") next.type = body.type;
    if (body.basis_points != null || body.amount != null || body.amounts != null)
      Object.assign(next, amounts(body, next.type));
    if (Array.isArray(body.products))
      next.product_ids = assertProducts(ctx, discount.organization_id, body.products);
    discounts(ctx).put(next);
    ctx.bus.emit("discount.updated", { discountId: next.id });
    return discountRead(ctx, next);
  },
  "discounts:delete": (req, ctx) => {
    const discount = byId(req, ctx);
    discounts(ctx).put({ ...discount, deleted_at: iso(ctx.clock.now()) });
    ctx.bus.emit("discount.deleted", { discountId: discount.id });
    return undefined;
  },
};
