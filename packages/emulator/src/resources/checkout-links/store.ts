import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import type { Metadata } from "../customers/store.js";

/** A reusable link: each visit opens a fresh checkout session with these settings. */
export interface CheckoutLinkRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  client_secret: string;
  label: string | null;
  product_ids: string[];
  discount_id: string | null;
  allow_discount_codes: boolean;
  require_billing_address: boolean;
  trial_interval: string | null;
  trial_interval_count: number | null;
  success_url: string | null;
  return_url: string | null;
  metadata: Metadata;
  deleted_at: string | null;
  [key: string]: unknown;
}

export const checkoutLinks = (ctx: EmulatorContext): Collection<CheckoutLinkRecord> =>
  ctx.store.collection<CheckoutLinkRecord>("checkout_links", { indexes: ["client_secret"] });

export function findCheckoutLink(ctx: EmulatorContext, organizationId: string, id: string) {
  const record = checkoutLinks(ctx).get(id);
  return record && record.organization_id === organizationId && !record.deleted_at
    ? record
    : undefined;
}

/** Where a link lives (Polar's buy.polar.sh/{client_secret}). */
export const checkoutLinkUrl = (ctx: EmulatorContext, clientSecret: string) =>
  `${ctx.baseUrl}/buy/${clientSecret}`;
