import type { EmulatorContext } from "../../context.js";
import { HttpError } from "../../http/errors.js";
import { iso } from "../../ids.js";
import { orders, type OrderRecord } from "./store.js";

/** Where the emulator serves an order's invoice and receipt (plain HTML, not PDF). */
export const invoiceUrl = (ctx: EmulatorContext, order: OrderRecord) =>
  `${ctx.baseUrl}/orders/${order.id}/invoice`;
export const receiptUrl = (ctx: EmulatorContext, order: OrderRecord) =>
  `${ctx.baseUrl}/orders/${order.id}/receipt`;

/**
 * Polar's invoice rules: only paid orders (409 OrderNotEligibleForInvoice), with a billing
 * name and address (422 MissingInvoiceBillingDetails).
 */
export function generateInvoice(ctx: EmulatorContext, order: OrderRecord): OrderRecord {
  if (!order.paid)
    throw new HttpError(
      409,
      "OrderNotEligibleForInvoice",
      "Order is not eligible for an invoice: it is not paid.",
    );
  if (!order.billing_name || !order.billing_address)
    throw new HttpError(
      422,
      "MissingInvoiceBillingDetails",
      "Billing name and address are required to generate an invoice; set them with PATCH /v1/orders/{id}.",
    );
  return orders(ctx).put({
    ...order,
    is_invoice_generated: true,
    modified_at: iso(ctx.clock.now()),
  });
}

/** 404 until generated, as Polar answers for an invoice not generated yet. */
export function invoiceOf(ctx: EmulatorContext, order: OrderRecord) {
  if (!order.is_invoice_generated)
    throw new HttpError(
      404,
      "ResourceNotFound",
      "The invoice has not been generated yet: POST /v1/orders/{id}/invoice first.",
    );
  return { url: invoiceUrl(ctx, order) };
}

const money = (cents: number, currency: string) =>
  `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The invoice or receipt as a small HTML document. */
export function renderOrderDocument(order: OrderRecord, kind: "Invoice" | "Receipt"): string {
  const lines = order.items
    .map((i) => `<tr><td>${escape(i.label)}</td><td>${money(i.amount, order.currency)}</td></tr>`)
    .join("");
  return `<!doctype html><html><head><meta charset="utf-8"><title>${kind} ${escape(order.invoice_number ?? "")}</title></head>
<body><h1>${kind} ${escape(order.invoice_number ?? "")}</h1>
<p>${escape(order.billing_name ?? "")}</p>
<table>${lines}<tr><th>Total</th><th>${money(order.total_amount, order.currency)}</th></tr></table>
<p>Status: ${order.status}</p></body></html>`;
}
