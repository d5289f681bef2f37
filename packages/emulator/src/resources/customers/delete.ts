import type { EmulatorContext } from "../../context.js";
import { iso } from "../../ids.js";
import { revokeAllGrants } from "../benefit-grants/service.js";
import { saveSubscription } from "../subscriptions/service.js";
import { subscriptions } from "../subscriptions/store.js";
import { customers, type CustomerRecord } from "./store.js";

/** Subscriptions Polar's `list_billable_by_customer` returns: still running or still owed. */
const BILLABLE = new Set(["active", "trialing", "past_due", "incomplete"]);

/**
 * Deletes a customer as Polar's `customer.delete`: every benefit grant is revoked
 * (`benefit.revoke_customer`: system events, `benefit_grant.revoked`, keys revoked, credits
 * taken back), every billable subscription is canceled immediately
 * (`subscription.cancel_customer`: `subscription.canceled` and `.revoked`, ended now, nothing
 * left for the clock to renew), then the customer is soft-deleted (`customer.deleted`); with
 * `anonymize`, its personal data is scrubbed.
 */
export function deleteCustomer(
  ctx: EmulatorContext,
  record: CustomerRecord,
  anonymize: boolean,
): void {
  ctx.store.transaction(() => {
    const now = iso(ctx.clock.now());
    // Grants first, as deletions (Polar cancels with revoke_benefits=False and leaves them to
    // benefit.revoke_customer): every grant's own revoke runs, meter credits all taken back.
    revokeAllGrants(ctx, { customerId: record.id });
    for (const subscription of subscriptions(ctx).findBy("customer_id", record.id)) {
      if (!BILLABLE.has(subscription.status)) continue;
      saveSubscription(ctx, subscription, {
        ...subscription,
        status: "canceled",
        cancel_at_period_end: false,
        canceled_at: subscription.canceled_at ?? now,
        ends_at: now,
        ended_at: now,
      });
    }
    customers(ctx).put({
      ...record,
      deleted_at: now,
      modified_at: now,
      ...(anonymize ? { email: null, name: null, billing_name: null, billing_address: null } : {}),
    });
    ctx.bus.emit("customer.deleted", { customerId: record.id });
  });
}
