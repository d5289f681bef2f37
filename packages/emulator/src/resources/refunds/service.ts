import type { EmulatorContext } from "../../context.js";
import { badRequest, invalid } from "../../http/errors.js";
import { iso, newId } from "../../ids.js";
import type { Metadata } from "../customers/store.js";
import { orders, type OrderRecord } from "../orders/store.js";
import { revokeOrderBenefits } from "../subscriptions/grants.js";
import { batchStateChanges } from "../webhooks/state-changed.js";
import { refunds, type RefundRecord } from "./store.js";

export interface RefundInput {
  order_id: string;
  reason: string;
  amount: number;
  comment?: string | null;
  revoke_benefits?: boolean;
  metadata?: Metadata;
}

/**
 * Refunds part or all of a paid order, as Polar does: never more than what is left;
 * `revoke_benefits` only for one-time purchases (a subscription's benefits end with the
 * subscription). Webhooks: refund.created, refund.updated, order.updated, order.refunded.
 */
export function createRefund(
  ctx: EmulatorContext,
  order: OrderRecord,
  input: RefundInput,
): RefundRecord {
  if (!order.paid) throw badRequest("Order is not paid: there is nothing to refund.");
  const refundable = order.total_amount - order.refunded_amount;
  if (refundable <= 0) throw badRequest("Order is already fully refunded.");
  if (input.amount > refundable)
    throw badRequest(`Refund amount exceeds remaining order balance: ${refundable}`);
  const revoke = input.revoke_benefits ?? false;
  if (revoke && order.billing_reason !== "purchase")
    throw invalid(
      ["body", "revoke_benefits"],
      "Benefits can only be revoked by refunding a one-time purchase; revoke the subscription instead.",
      true,
    );
  const now = iso(ctx.clock.now());
  return batchStateChanges(ctx, () => {
    const refund: RefundRecord = {
      id: newId(),
      organization_id: order.organization_id,
      created_at: now,
      modified_at: null,
      status: "pending",
      reason: input.reason,
      amount: input.amount,
      tax_amount: 0,
      currency: order.currency,
      order_id: order.id,
      subscription_id: order.subscription_id,
      customer_id: order.customer_id,
      revoke_benefits: revoke,
      comment: input.comment ?? null,
      metadata: input.metadata ?? {},
    };
    refunds(ctx).insert(refund);
    ctx.bus.emit("refund.created", { refundId: refund.id });
    const succeeded = refunds(ctx).put({ ...refund, status: "succeeded", modified_at: now });
    ctx.bus.emit("refund.updated", { refundId: refund.id });
    const refundedAmount = order.refunded_amount + input.amount;
    const updated = orders(ctx).put({
      ...order,
      refunded_amount: refundedAmount,
      status: refundedAmount >= order.total_amount ? "refunded" : "partially_refunded",
      benefits_revoked: Boolean(order.benefits_revoked) || revoke,
      modified_at: now,
    });
    ctx.bus.emit("order.updated", { orderId: updated.id });
    ctx.bus.emit("order.refunded", { orderId: updated.id });
    if (revoke) revokeOrderBenefits(ctx, order.id);
    return succeeded;
  });
}
