import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { HttpError, notFound } from "../../http/errors.js";
import { paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import type { Collection } from "../../store/collection.js";
import { customers } from "../customers/store.js";
import { orders } from "../orders/store.js";
import { payments } from "../payments/store.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";

type DisputeStatus =
  "prevented" | "early_warning" | "needs_response" | "under_review" | "lost" | "won";

/** A chargeback on an order's payment (Polar's Dispute, opened by Stripe). */
interface DisputeRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  status: DisputeStatus;
  amount: number;
  tax_amount: number;
  currency: string;
  reason: string | null;
  evidence_due_by: string | null;
  order_id: string;
  payment_id: string;
  customer_id: string;
}

const disputes = (ctx: EmulatorContext): Collection<DisputeRecord> =>
  ctx.store.collection<DisputeRecord>("disputes");

const CLOSED: DisputeStatus[] = ["prevented", "lost", "won"];

function read(ctx: EmulatorContext, d: DisputeRecord) {
  const customer = customers(ctx).get(d.customer_id);
  const { customer_id: _customer, organization_id: _organization, ...rest } = d;
  return {
    ...rest,
    resolved: CLOSED.includes(d.status),
    closed: CLOSED.includes(d.status),
    past_due:
      d.evidence_due_by !== null &&
      d.status === "needs_response" &&
      d.evidence_due_by < iso(ctx.clock.now()),
    case_id: null,
    customer: customer ? ctx.shaper.shape("DisputeCustomer", customer) : null,
  };
}

function visible(req: OperationRequest, ctx: EmulatorContext): DisputeRecord {
  const d = disputes(ctx).get(req.path.id ?? "");
  if (!d || d.organization_id !== organizationOf(req.principal)) throw notFound();
  return d;
}

export const disputeHandlers: OperationHandlers = {
  "disputes:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    const listOf = (v: unknown) =>
      v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : [String(v)];
    const orderIds = listOf(req.query.order_id);
    const statuses = listOf(req.query.status);
    const items = organizationFilterAdmits(req.query.organization_id, organizationId)
      ? disputes(ctx)
          .byOrganization(organizationId)
          .filter(
            (d) =>
              (!orderIds || orderIds.includes(d.order_id)) &&
              (!statuses || statuses.includes(d.status)),
          )
      : [];
    const sorted = sortBy(
      items,
      req.query.sorting,
      { created_at: (d) => d.created_at, amount: (d) => d.amount },
      ["-created_at"],
    );
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((d) => read(ctx, d)) };
  },
  "disputes:get": (req, ctx) => read(ctx, visible(req, ctx)),
  // Conceding: Stripe closes the dispute as lost (Polar's dispute_service.accept).
  "disputes:accept": (req, ctx) => {
    const d = visible(req, ctx);
    if (d.status !== "needs_response")
      throw new HttpError(409, "DisputeNotOpenError", "This dispute is not open.");
    return read(
      ctx,
      disputes(ctx).put({ ...d, status: "lost", modified_at: iso(ctx.clock.now()) }),
    );
  },
};

/**
 * `POST /__emulator/disputes { order_id, reason? }`: the customer's bank opens a chargeback on
 * a paid order's payment (what Stripe reports to Polar); answers the Dispute (201). Evidence
 * is due in 7 days on the emulator's clock.
 */
export function registerDisputeControl(app: Hono, ctx: EmulatorContext): void {
  app.post("/__emulator/disputes", async (c) => {
    let body: { order_id?: unknown; reason?: unknown } | null;
    try {
      body = (await c.req.json()) as { order_id?: unknown; reason?: unknown } | null;
    } catch {
      return c.json(
        { error: "BadRequest", detail: "Send a JSON body: { order_id, reason? }." },
        400,
      );
    }
    const order = typeof body?.order_id === "string" ? orders(ctx).get(body.order_id) : undefined;
    if (!order || !order.paid)
      return c.json(
        { error: "ResourceNotFound", detail: "No paid order with this order_id." },
        404,
      );
    const payment = payments(ctx)
      .byOrganization(order.organization_id)
      .find((p) => p.order_id === order.id && p.status === "succeeded");
    if (!payment)
      return c.json(
        { error: "ResourceNotFound", detail: "The order has no succeeded payment to dispute." },
        404,
      );
    const now = ctx.clock.now();
    const dispute = disputes(ctx).insert({
      id: newId(),
      organization_id: order.organization_id,
      created_at: iso(now),
      modified_at: null,
      status: "needs_response",
      amount: order.net_amount,
      tax_amount: order.tax_amount,
      currency: order.currency,
      reason: typeof body?.reason === "string" ? body.reason : "fraudulent",
      evidence_due_by: iso(new Date(now.getTime() + 7 * 86_400_000)),
      order_id: order.id,
      payment_id: payment.id,
      customer_id: order.customer_id,
    });
    return c.json(read(ctx, dispute), 201);
  });
}
