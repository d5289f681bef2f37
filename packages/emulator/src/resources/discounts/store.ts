import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import type { Metadata } from "../customers/store.js";

/** A discount as stored: fixed (amount, currency) or percentage (basis_points). */
export interface DiscountRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  name: string;
  code: string | null;
  type: "fixed" | "percentage";
  duration: "once" | "forever" | "repeating";
  duration_in_months: number | null;
  amount: number | null;
  currency: string | null;
  basis_points: number | null;
  starts_at: string | null;
  ends_at: string | null;
  max_redemptions: number | null;
  max_redemptions_per_customer: number | null;
  redemptions_count: number;
  product_ids: string[];
  metadata: Metadata;
  deleted_at: string | null;
  [key: string]: unknown;
}

export const discounts = (ctx: EmulatorContext): Collection<DiscountRecord> =>
  ctx.store.collection<DiscountRecord>("discounts", {});

export function findDiscount(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): DiscountRecord | undefined {
  const record = discounts(ctx).get(id);
  return record && record.organization_id === organizationId && !record.deleted_at
    ? record
    : undefined;
}

/** Codes are case-insensitive in Polar. */
export const findDiscountByCode = (ctx: EmulatorContext, organizationId: string, code: string) =>
  discounts(ctx)
    .byOrganization(organizationId)
    .find((d) => !d.deleted_at && d.code?.toLowerCase() === code.toLowerCase());

/** Whether the discount can apply now to this product (window, redemptions, products). */
export function isApplicable(discount: DiscountRecord, productId: string, now: Date): boolean {
  if (discount.starts_at && new Date(discount.starts_at) > now) return false;
  if (discount.ends_at && new Date(discount.ends_at) <= now) return false;
  if (discount.max_redemptions !== null && discount.redemptions_count >= discount.max_redemptions)
    return false;
  return discount.product_ids.length === 0 || discount.product_ids.includes(productId);
}

/** The amount off `amount` (never more than it). */
export function discountAmount(discount: DiscountRecord | undefined, amount: number): number {
  if (!discount) return 0;
  const off =
    discount.type === "percentage"
      ? Math.round((amount * (discount.basis_points ?? 0)) / 10_000)
      : (discount.amount ?? 0);
  return Math.min(amount, off);
}

/** The document's discount schemas are split by type and duration; pick the right one. */
export function discountRead(ctx: EmulatorContext, record: DiscountRecord) {
  const type = record.type === "fixed" ? "Fixed" : "Percentage";
  const duration = record.duration === "repeating" ? "Repeat" : "OnceForever";
  const products = record.product_ids
    .map((id) => ctx.store.peek("products", id))
    .filter((p) => p !== undefined);
  return ctx.shaper.shape(`Discount${type}${duration}Duration`, {
    ...record,
    amounts: record.type === "fixed" ? { [record.currency ?? "usd"]: record.amount } : undefined,
    products: products.map((p) => ({ ...p, prices: [], benefits: [], medias: [] })),
  });
}
