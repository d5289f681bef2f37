import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import type { Metadata } from "../customers/store.js";
import { products, type PriceRecord, type ProductRecord } from "./store.js";

export interface ProductInput {
  name: string;
  description?: string | null;
  visibility?: ProductRecord["visibility"];
  recurring_interval?: ProductRecord["recurring_interval"];
  recurring_interval_count?: number | null;
  metadata?: Metadata;
  prices: Record<string, unknown>[];
}

/** A stored price from a `ProductPrice…Create` body (already validated by the document). */
export function createPrice(
  ctx: EmulatorContext,
  productId: string,
  input: Record<string, unknown>,
): PriceRecord {
  const base = {
    ...input,
    id: newId(),
    product_id: productId,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    source: "catalog" as const,
    is_archived: false,
    amount_type: input.amount_type as PriceRecord["amount_type"],
    price_currency: String(input.price_currency ?? "usd"),
    tax_behavior: input.tax_behavior ?? null,
  };
  if (base.amount_type === "custom") {
    return {
      ...base,
      minimum_amount: input.minimum_amount ?? 50,
      maximum_amount: input.maximum_amount ?? null,
      preset_amount: input.preset_amount ?? null,
    };
  }
  if (base.amount_type === "metered_unit") {
    return {
      ...base,
      unit_amount: String(input.unit_amount),
      cap_amount: input.cap_amount ?? null,
    };
  }
  return base;
}

export function createProduct(
  ctx: EmulatorContext,
  organizationId: string,
  input: ProductInput,
): ProductRecord {
  const id = newId();
  const recurring = input.recurring_interval ?? null;
  const record: ProductRecord = {
    id,
    organization_id: organizationId,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    name: input.name,
    description: input.description ?? null,
    visibility: input.visibility ?? "public",
    recurring_interval: recurring,
    recurring_interval_count: recurring ? (input.recurring_interval_count ?? 1) : null,
    is_recurring: recurring !== null,
    is_archived: false,
    metadata: input.metadata ?? {},
    prices: input.prices.map((price) => createPrice(ctx, id, price)),
    benefit_ids: [],
    trial_interval: null,
    trial_interval_count: null,
    meter_interval: null,
    meter_interval_count: null,
  };
  return products(ctx).insert(record);
}
