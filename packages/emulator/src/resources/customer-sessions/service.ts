import type { EmulatorContext } from "../../context.js";
import type { AccessToken } from "../../http/auth.js";
import { iso, newId, newSecret } from "../../ids.js";
import { customerRead } from "../customers/read.js";
import type { CustomerRecord } from "../customers/store.js";
import { organizations } from "../organizations/store.js";

/** Polar's customer sessions last one hour. */
export const CUSTOMER_SESSION_TTL_MS = 60 * 60 * 1000;

/** Issues a customer session token (`polar_cst_…`) that the customer-portal operations accept. */
export function createCustomerSession(
  ctx: EmulatorContext,
  customer: CustomerRecord,
  returnUrl: string | null = null,
): AccessToken & { return_url: string | null } {
  const now = ctx.clock.now();
  const token = {
    id: newId(),
    organization_id: customer.organization_id,
    token: newSecret("polar_cst_"),
    kind: "customer_session" as const,
    scopes: [],
    customer_id: customer.id,
    expires_at: iso(new Date(now.getTime() + CUSTOMER_SESSION_TTL_MS)),
    created_at: iso(now),
    return_url: returnUrl,
  };
  ctx.tokens.insert(token);
  return token;
}

/** The portal's address for a session (served by the emulator). */
export function portalUrl(ctx: EmulatorContext, organizationId: string, token: string): string {
  const slug = organizations(ctx).get(organizationId)?.slug ?? organizationId;
  return `${ctx.baseUrl}/portal/${slug}?customer_session_token=${encodeURIComponent(token)}`;
}

/** A session as Polar's `CustomerSession`. */
export function customerSessionRead(
  ctx: EmulatorContext,
  session: AccessToken & { return_url?: string | null },
  customer: CustomerRecord,
) {
  return ctx.shaper.shape("CustomerSession", {
    id: session.id,
    created_at: session.created_at,
    modified_at: null,
    token: session.token,
    expires_at: session.expires_at,
    return_url: session.return_url ?? null,
    customer_portal_url: portalUrl(ctx, customer.organization_id, session.token),
    customer_id: customer.id,
    customer: customerRead(ctx, customer),
  });
}
