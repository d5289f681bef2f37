import type { EmulatorContext } from "../../context.js";
import { benefitGrants } from "../benefit-grants/store.js";
import { benefits } from "../benefits/store.js";
import { licenseKeyActivations, licenseKeys } from "../license-keys/store.js";
import { orders } from "../orders/store.js";
import { products } from "../products/store.js";
import { subscriptions } from "../subscriptions/store.js";
import type { PortalSession } from "./session.js";

/** What the portal page shows: the session customer's own records only, newest first. */
export interface PortalView {
  organizationName: string;
  customerEmail: string | null;
  customerName: string | null;
  /** The form field and query value that carry the session on every action. */
  token: string;
  returnUrl: string | null;
  error?: string;
  notice?: string;
  subscriptions: {
    id: string;
    product: string;
    status: string;
    amount: number;
    currency: string;
    interval: string;
    currentPeriodEnd: string | null;
    cancelAtPeriodEnd: boolean;
    endsAt: string | null;
  }[];
  orders: {
    id: string;
    product: string;
    createdAt: string;
    totalAmount: number;
    currency: string;
    status: string;
    receiptUrl: string | null;
  }[];
  licenseKeys: {
    id: string;
    benefit: string;
    key: string;
    status: string;
    usage: number;
    limitUsage: number | null;
    activations: number;
    limitActivations: number | null;
    expiresAt: string | null;
  }[];
  benefits: { id: string; description: string; type: string; grantedAt: string | null }[];
}

const newestFirst = <T extends { created_at: string }>(items: T[]) =>
  [...items].sort((a, b) =>
    a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0,
  );

export function portalView(
  ctx: EmulatorContext,
  session: PortalSession,
  extra: { error?: string; notice?: string } = {},
): PortalView {
  const { customer } = session;
  const productName = (id: string | null) =>
    (id ? products(ctx).get(id)?.name : undefined) ?? "Product";
  const benefitName = (id: string) => benefits(ctx).get(id)?.description ?? "Benefit";
  const grants = benefitGrants(ctx)
    .findBy("customer_id", customer.id)
    .filter((g) => g.is_granted);
  // One line per benefit, even when several purchases granted it.
  const benefitIds = [...new Set(grants.map((g) => g.benefit_id))];
  return {
    organizationName: session.organization.name,
    customerEmail: customer.email ?? null,
    customerName: customer.name ?? null,
    token: session.token.token,
    returnUrl: session.token.return_url ?? null,
    ...extra,
    subscriptions: newestFirst(subscriptions(ctx).findBy("customer_id", customer.id)).map((s) => ({
      id: s.id,
      product: productName(s.product_id),
      status: s.status,
      amount: s.amount,
      currency: s.currency,
      interval:
        s.recurring_interval_count > 1
          ? `${s.recurring_interval_count} ${s.recurring_interval}s`
          : s.recurring_interval,
      currentPeriodEnd: s.current_period_end ?? null,
      cancelAtPeriodEnd: s.cancel_at_period_end,
      endsAt: s.ends_at ?? null,
    })),
    orders: newestFirst(orders(ctx).findBy("customer_id", customer.id)).map((o) => ({
      id: o.id,
      product: productName(o.product_id),
      createdAt: o.created_at,
      totalAmount: o.total_amount,
      currency: o.currency,
      status: o.status,
      receiptUrl: o.paid ? `${ctx.baseUrl}/orders/${o.id}/receipt` : null,
    })),
    licenseKeys: newestFirst(licenseKeys(ctx).findBy("customer_id", customer.id)).map((k) => ({
      id: k.id,
      benefit: benefitName(k.benefit_id),
      key: k.key,
      status: k.status,
      usage: k.usage,
      limitUsage: k.limit_usage,
      activations: licenseKeyActivations(ctx)
        .findBy("license_key_id", k.id)
        .filter((a) => !a.deleted_at).length,
      limitActivations: k.limit_activations,
      expiresAt: k.expires_at,
    })),
    benefits: benefitIds.map((id) => {
      const benefit = benefits(ctx).get(id);
      const granted = grants.filter((g) => g.benefit_id === id).map((g) => g.granted_at ?? "");
      return {
        id,
        description: benefit?.description ?? "Benefit",
        type: benefit?.type ?? "custom",
        grantedAt: granted.sort()[0] || null,
      };
    }),
  };
}
