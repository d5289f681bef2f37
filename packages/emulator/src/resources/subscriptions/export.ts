import type { EmulatorContext } from "../../context.js";
import { customers } from "../customers/store.js";
import { products } from "../products/store.js";
import { subscriptions } from "./store.js";

const cell = (value: unknown) => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** `GET /v1/subscriptions/export`: the organization's subscriptions as CSV. */
export function subscriptionsCsv(ctx: EmulatorContext, organizationId: string): Response {
  const header = ["Email", "Created At", "Active", "Product", "Price", "Currency", "Interval"];
  const rows = subscriptions(ctx)
    .byOrganization(organizationId)
    .map((s) => [
      customers(ctx).get(s.customer_id)?.email,
      s.created_at,
      s.status === "active" || s.status === "trialing",
      products(ctx).get(s.product_id)?.name,
      s.amount / 100,
      s.currency,
      s.recurring_interval,
    ]);
  const csv = [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n");
  return new Response(`${csv}\r\n`, {
    headers: {
      "content-type": "text/csv",
      "content-disposition": 'attachment; filename="polar-subscriptions.csv"',
    },
  });
}
