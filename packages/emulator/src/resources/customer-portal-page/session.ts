import type { EmulatorContext } from "../../context.js";
import type { AccessToken } from "../../http/auth.js";
import { customers, type CustomerRecord } from "../customers/store.js";
import { organizations, type OrganizationRecord } from "../organizations/store.js";

export interface PortalSession {
  token: AccessToken & { return_url?: string | null };
  customer: CustomerRecord;
  organization: OrganizationRecord;
}

/**
 * The customer session a portal page is opened with (`?customer_session_token=` on GET, a
 * hidden field on POST): a live `polar_cst_` token of a customer that is not deleted, for the
 * organization the URL names (by slug or id). Undefined otherwise: the page says the link
 * expired, as Polar's portal does.
 */
export function portalSession(
  ctx: EmulatorContext,
  slug: string,
  token: string | undefined,
): PortalSession | undefined {
  if (!token) return undefined;
  const record = ctx.tokens.findBy("token", token)[0] as PortalSession["token"] | undefined;
  if (!record || record.kind !== "customer_session" || !record.customer_id) return undefined;
  if (record.expires_at && new Date(record.expires_at) <= ctx.clock.now()) return undefined;
  const customer = customers(ctx).get(record.customer_id);
  if (!customer || customer.deleted_at) return undefined;
  const organization = organizations(ctx).get(customer.organization_id);
  if (!organization || (organization.slug !== slug && organization.id !== slug)) return undefined;
  return { token: record, customer, organization };
}
