import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import type { Metadata } from "../customers/store.js";

export type BillingReason =
  "purchase" | "subscription_create" | "subscription_cycle" | "subscription_update";

/** One line of an order. */
export interface OrderItem {
  id: string;
  created_at: string;
  modified_at: string | null;
  label: string;
  amount: number;
  tax_amount: number;
  proration: boolean;
  product_price_id: string | null;
}

/** An order as stored: Polar's `Order` fields the emulator models (no tax: tax_amount 0). */
export interface OrderRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  status: "draft" | "pending" | "paid" | "refunded" | "partially_refunded";
  paid: boolean;
  subtotal_amount: number;
  discount_amount: number;
  net_amount: number;
  tax_amount: number;
  total_amount: number;
  refunded_amount: number;
  refunded_tax_amount: number;
  currency: string;
  billing_reason: BillingReason;
  billing_name: string | null;
  billing_address: Record<string, unknown> | null;
  /** null while the order is a draft (assigned at finalize). */
  invoice_number: string | null;
  is_invoice_generated: boolean;
  customer_id: string;
  product_id: string | null;
  discount_id: string | null;
  subscription_id: string | null;
  checkout_id: string | null;
  metadata: Metadata;
  custom_field_data: Record<string, unknown>;
  items: OrderItem[];
  description: string;
  [key: string]: unknown;
}

export const orders = (ctx: EmulatorContext): Collection<OrderRecord> =>
  ctx.store.collection<OrderRecord>("orders", { indexes: ["customer_id", "subscription_id"] });

export function findOrder(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): OrderRecord | undefined {
  const record = orders(ctx).get(id);
  return record && record.organization_id === organizationId ? record : undefined;
}
