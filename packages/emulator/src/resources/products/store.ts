import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import { benefitRead, benefits } from "../benefits/store.js";
import type { Metadata } from "../customers/store.js";

/** A price as stored inside its product (fixed, custom, seat_based, metered_unit). */
export interface PriceRecord {
  id: string;
  product_id: string;
  created_at: string;
  modified_at: string | null;
  amount_type: "fixed" | "custom" | "seat_based" | "metered_unit";
  price_currency: string;
  is_archived: boolean;
  source: "catalog";
  [key: string]: unknown;
}

/** A product as stored; `benefit_ids` keeps the order set by POST /products/{id}/benefits. */
export interface ProductRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  name: string;
  description: string | null;
  visibility: "draft" | "private" | "public";
  recurring_interval: "day" | "week" | "month" | "year" | null;
  recurring_interval_count: number | null;
  is_recurring: boolean;
  is_archived: boolean;
  metadata: Metadata;
  prices: PriceRecord[];
  benefit_ids: string[];
  [key: string]: unknown;
}

export const products = (ctx: EmulatorContext): Collection<ProductRecord> =>
  ctx.store.collection<ProductRecord>("products", {});

export function findProduct(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): ProductRecord | undefined {
  const record = products(ctx).get(id);
  return record && record.organization_id === organizationId ? record : undefined;
}

/** A product as Polar's `Product` schema: live prices and benefits (in order) embedded. */
export function productRead(ctx: EmulatorContext, product: ProductRecord) {
  const attached = product.benefit_ids
    .map((id) => benefits(ctx).get(id))
    .filter((b) => b !== undefined && !b.is_deleted)
    .map((b) => benefitRead(ctx, b!));
  return ctx.shaper.shape("Product", {
    ...product,
    prices: product.prices.filter((p) => !p.is_archived),
    benefits: attached,
    medias: [],
    attached_custom_fields: [],
  });
}
