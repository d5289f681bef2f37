import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { renderOrderDocument } from "./documents.js";
import { orders } from "./store.js";

/** The invoice and receipt URLs the API hands out (plain HTML stand-ins for Polar's PDFs). */
export function registerOrderPages(app: Hono, ctx: EmulatorContext): void {
  app.get("/orders/:id/invoice", (c) => {
    const order = orders(ctx).get(c.req.param("id"));
    if (!order?.is_invoice_generated) throw notFound("Invoice not found.");
    return c.html(renderOrderDocument(order, "Invoice"));
  });
  app.get("/orders/:id/receipt", (c) => {
    const order = orders(ctx).get(c.req.param("id"));
    if (!order?.paid) throw notFound("Receipt not found.");
    return c.html(renderOrderDocument(order, "Receipt"));
  });
}
