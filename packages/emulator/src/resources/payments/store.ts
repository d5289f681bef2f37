import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import type { Collection } from "../../store/collection.js";

/** One charge attempt of a card (Polar's `CardPayment`), succeeded or declined. */
export interface PaymentRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  processor: "stripe";
  status: "pending" | "succeeded" | "failed";
  amount: number;
  currency: string;
  method: "card";
  trigger: "purchase" | "subscription_cycle";
  decline_reason: string | null;
  decline_message: string | null;
  checkout_id: string | null;
  order_id: string | null;
  customer_id: string | null;
  customer_email: string | null;
  method_metadata: { brand: string; last4: string };
  [key: string]: unknown;
}

/** A card saved for a customer at checkout (Polar's `PaymentMethodCard`). */
export interface PaymentMethodRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  processor: "stripe";
  customer_id: string;
  type: "card";
  method_metadata: {
    brand: string;
    last4: string;
    exp_month: number;
    exp_year: number;
    wallet: null;
  };
  [key: string]: unknown;
}

export const payments = (ctx: EmulatorContext): Collection<PaymentRecord> =>
  ctx.store.collection<PaymentRecord>("payments", {});

export const paymentMethods = (ctx: EmulatorContext): Collection<PaymentMethodRecord> =>
  ctx.store.collection<PaymentMethodRecord>("payment_methods", { indexes: ["customer_id"] });

/** The card as the emulator knows it: Stripe test numbers are Visa unless they start with 5. */
export function cardOf(number: string | undefined, expiry?: string) {
  const digits = (number ?? "4242424242424242").replace(/\D/g, "");
  const match = /^(\d{1,2})\s*\/\s*(\d{2,4})$/.exec(expiry?.trim() ?? "");
  return {
    brand: digits.startsWith("5") ? "mastercard" : "visa",
    last4: digits.slice(-4) || "4242",
    exp_month: match ? Number(match[1]) : 12,
    exp_year: match ? Number(match[2]!.length === 2 ? `20${match[2]}` : match[2]) : 2034,
  };
}

export interface PaymentInput {
  organizationId: string;
  amount: number;
  currency: string;
  trigger: PaymentRecord["trigger"];
  checkoutId: string | null;
  orderId: string | null;
  customerId: string | null;
  customerEmail: string | null;
  card: { brand: string; last4: string };
  declined?: string;
}

/** Records a charge attempt (a declined one keeps Stripe's message). */
export function recordPayment(ctx: EmulatorContext, input: PaymentInput): PaymentRecord {
  return payments(ctx).insert({
    id: newId(),
    organization_id: input.organizationId,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    processor: "stripe",
    status: input.declined ? "failed" : "succeeded",
    amount: input.amount,
    currency: input.currency,
    method: "card",
    trigger: input.trigger,
    decline_reason: input.declined ? "card_declined" : null,
    decline_message: input.declined ?? null,
    checkout_id: input.checkoutId,
    order_id: input.orderId,
    customer_id: input.customerId,
    customer_email: input.customerEmail,
    method_metadata: input.card,
  });
}

/** Saves the customer's card once (same last4), as Stripe keeps it for renewals. */
export function saveCard(
  ctx: EmulatorContext,
  organizationId: string,
  customerId: string,
  card: ReturnType<typeof cardOf>,
): void {
  const known = paymentMethods(ctx)
    .findBy("customer_id", customerId)
    .some((m) => m.method_metadata.last4 === card.last4);
  if (known) return;
  paymentMethods(ctx).insert({
    id: newId(),
    organization_id: organizationId,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    processor: "stripe",
    customer_id: customerId,
    type: "card",
    method_metadata: { ...card, wallet: null },
  });
}
