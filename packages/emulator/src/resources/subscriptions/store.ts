import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import type { Metadata } from "../customers/store.js";
import type { Interval } from "./periods.js";

export type SubscriptionStatus =
  "incomplete" | "incomplete_expired" | "trialing" | "active" | "past_due" | "canceled" | "unpaid";

/** A subscription as stored: the fields of Polar's `Subscription` the emulator models. */
export interface SubscriptionRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  amount: number;
  currency: string;
  recurring_interval: Interval;
  recurring_interval_count: number;
  status: SubscriptionStatus;
  current_period_start: string;
  current_period_end: string;
  trial_start: string | null;
  trial_end: string | null;
  cancel_at_period_end: boolean;
  canceled_at: string | null;
  started_at: string | null;
  ends_at: string | null;
  ended_at: string | null;
  customer_id: string;
  product_id: string;
  price_id: string;
  discount_id: string | null;
  checkout_id: string | null;
  customer_cancellation_reason: string | null;
  customer_cancellation_comment: string | null;
  metadata: Metadata;
  custom_field_data: Record<string, unknown>;
  meters: unknown[];
  [key: string]: unknown;
}

/** Opened once at start (customer state reads the same table by name). */
export const subscriptions = (ctx: EmulatorContext): Collection<SubscriptionRecord> =>
  ctx.store.collection<SubscriptionRecord>("subscriptions", { indexes: ["customer_id"] });

/** Active and trialing subscriptions grant benefits (Polar's `active`). */
export const isActive = (s: Pick<SubscriptionRecord, "status">): boolean =>
  s.status === "active" || s.status === "trialing";

export function findSubscription(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): SubscriptionRecord | undefined {
  const record = subscriptions(ctx).get(id);
  return record && record.organization_id === organizationId ? record : undefined;
}
