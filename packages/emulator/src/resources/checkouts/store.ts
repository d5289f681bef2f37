import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import type { Metadata } from "../customers/store.js";

export type CheckoutStatus = "open" | "expired" | "confirmed" | "succeeded" | "failed";

/** A checkout session as stored; `url` is computed on read from the emulator's base URL. */
export interface CheckoutRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  status: CheckoutStatus;
  client_secret: string;
  expires_at: string;
  success_url: string | null;
  return_url: string | null;
  embed_origin: string | null;
  amount: number;
  discount_amount: number;
  net_amount: number;
  tax_amount: number;
  total_amount: number;
  currency: string;
  product_ids: string[];
  product_id: string;
  product_price_id: string;
  discount_id: string | null;
  allow_discount_codes: boolean;
  require_billing_address: boolean;
  allow_trial: boolean;
  trial_interval: string | null;
  trial_interval_count: number | null;
  customer_id: string | null;
  external_customer_id: string | null;
  customer_name: string | null;
  customer_email: string | null;
  customer_billing_name: string | null;
  customer_billing_address: Record<string, unknown> | null;
  customer_tax_id: string | null;
  customer_ip_address: string | null;
  is_business_customer: boolean;
  customer_metadata: Metadata;
  metadata: Metadata;
  custom_field_data: Record<string, unknown>;
  locale: string | null;
  subscription_id: string | null;
  /** The order the checkout produced, once succeeded. */
  order_id: string | null;
  checkout_link_id: string | null;
  /** Last payment error shown on the hosted page (declined card). */
  payment_error: string | null;
  [key: string]: unknown;
}

export const checkouts = (ctx: EmulatorContext): Collection<CheckoutRecord> =>
  ctx.store.collection<CheckoutRecord>("checkouts", { indexes: ["client_secret"] });

export function findCheckout(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): CheckoutRecord | undefined {
  const record = checkouts(ctx).get(id);
  return record && record.organization_id === organizationId ? record : undefined;
}

export const findCheckoutBySecret = (
  ctx: EmulatorContext,
  clientSecret: string,
): CheckoutRecord | undefined => checkouts(ctx).findBy("client_secret", clientSecret)[0];
