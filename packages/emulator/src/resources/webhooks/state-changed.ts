import type { EmulatorContext } from "../../context.js";
import { customers } from "../customers/store.js";
import { customerState } from "../customer-state/routes.js";
import { publishWebhook } from "./publish.js";

interface Batch {
  depth: number;
  customers: Set<string>;
}
const batches = new WeakMap<EmulatorContext, Batch>();

/**
 * Polar sends one `customer.state_changed` after a change settles, not one per step. Inside
 * a batch (a checkout's whole chain, a renewal) changed customers are collected and get one
 * webhook each at the end, inside the same transaction; outside a batch it is sent at once.
 */
export function batchStateChanges<R>(ctx: EmulatorContext, fn: () => R): R {
  const batch = batches.get(ctx) ?? { depth: 0, customers: new Set<string>() };
  batches.set(ctx, batch);
  return ctx.store.transaction(() => {
    batch.depth += 1;
    try {
      const result = fn();
      if (batch.depth === 1) {
        for (const customerId of batch.customers) publishStateChanged(ctx, customerId);
      }
      return result;
    } finally {
      batch.depth -= 1;
      if (batch.depth === 0) batch.customers.clear();
    }
  });
}

/** Notes that a customer's state (subscriptions, grants, the customer itself) changed. */
export function noteStateChanged(ctx: EmulatorContext, customerId: string): void {
  const batch = batches.get(ctx);
  if (batch && batch.depth > 0) batch.customers.add(customerId);
  else publishStateChanged(ctx, customerId);
}

function publishStateChanged(ctx: EmulatorContext, customerId: string): void {
  const customer = customers(ctx).get(customerId);
  if (!customer) return;
  publishWebhook(ctx, customer.organization_id, "customer.state_changed", () =>
    customerState(ctx, customer),
  );
}
