import type { EmulatorContext } from "../../context.js";
import { customers } from "../customers/store.js";
import { products } from "../products/store.js";
import { orders } from "./store.js";

const cell = (value: unknown) => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** `GET /v1/orders/export`: the organization's orders as CSV. */
export function ordersCsv(ctx: EmulatorContext, organizationId: string): Response {
  const header = [
    "Email",
    "Created At",
    "Product",
    "Amount",
    "Currency",
    "Status",
    "Invoice number",
  ];
  const rows = orders(ctx)
    .byOrganization(organizationId)
    .map((o) => [
      customers(ctx).get(o.customer_id)?.email,
      o.created_at,
      o.product_id ? products(ctx).get(o.product_id)?.name : "",
      o.total_amount / 100,
      o.currency,
      o.status,
      o.invoice_number,
    ]);
  const csv = [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n");
  return new Response(`${csv}\r\n`, {
    headers: {
      "content-type": "text/csv",
      "content-disposition": 'attachment; filename="polar-orders.csv"',
    },
  });
}
