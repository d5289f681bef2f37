import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import type { Metadata } from "../customers/store.js";
import type { PriceRecord, ProductRecord } from "../products/store.js";
import { orders, type BillingReason, type OrderRecord } from "./store.js";

export interface OrderInput {
  organizationId: string;
  customerId: string;
  product: ProductRecord;
  price: PriceRecord;
  amount: number;
  discountAmount: number;
  discountId: string | null;
  currency: string;
  billingReason: BillingReason;
  subscriptionId: string | null;
  checkoutId: string | null;
  metadata?: Metadata;
  customFieldData?: Record<string, unknown>;
  billingName?: string | null;
  billingAddress?: Record<string, unknown> | null;
  /** Label of the line (a renewal says which period it pays for). */
  label?: string;
}

function nextInvoiceNumber(ctx: EmulatorContext, organizationId: string): string {
  const count = orders(ctx).byOrganization(organizationId).length + 1;
  return `POLAR-${String(count).padStart(4, "0")}`;
}

/** Creates a pending order (`order.created`); `payOrder` settles it. */
export function createOrder(ctx: EmulatorContext, input: OrderInput): OrderRecord {
  const now = iso(ctx.clock.now());
  const net = input.amount - input.discountAmount;
  const record: OrderRecord = {
    id: newId(),
    organization_id: input.organizationId,
    created_at: now,
    modified_at: null,
    status: "pending",
    paid: false,
    subtotal_amount: input.amount,
    discount_amount: input.discountAmount,
    net_amount: net,
    tax_amount: 0,
    total_amount: net,
    refunded_amount: 0,
    refunded_tax_amount: 0,
    currency: input.currency,
    billing_reason: input.billingReason,
    billing_name: input.billingName ?? null,
    billing_address: input.billingAddress ?? null,
    invoice_number: nextInvoiceNumber(ctx, input.organizationId),
    is_invoice_generated: false,
    customer_id: input.customerId,
    product_id: input.product.id,
    discount_id: input.discountId,
    subscription_id: input.subscriptionId,
    checkout_id: input.checkoutId,
    metadata: input.metadata ?? {},
    custom_field_data: input.customFieldData ?? {},
    items: [
      {
        id: newId(),
        created_at: now,
        modified_at: null,
        label: input.label ?? input.product.name,
        amount: input.amount,
        tax_amount: 0,
        proration: false,
        product_price_id: input.price.id,
      },
    ],
    description: input.product.name,
    platform_fee_amount: 0,
  };
  orders(ctx).insert(record);
  ctx.bus.emit("order.created", { orderId: record.id });
  return record;
}

/** Marks an order paid: `order.paid` then `order.updated`, as Polar sends them. */
export function payOrder(ctx: EmulatorContext, order: OrderRecord): OrderRecord {
  const paid = orders(ctx).put({
    ...order,
    status: "paid",
    paid: true,
    modified_at: iso(ctx.clock.now()),
  });
  ctx.bus.emit("order.paid", { orderId: paid.id });
  ctx.bus.emit("order.updated", { orderId: paid.id });
  return paid;
}
