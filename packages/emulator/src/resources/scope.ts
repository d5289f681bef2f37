import type { Principal } from "../http/auth.js";
import { invalid, unauthorized } from "../http/errors.js";

/** The organization a request acts for (its token's). */
export function organizationOf(principal: Principal): string {
  if (principal.kind === "anonymous") throw unauthorized();
  return principal.organizationId;
}

/**
 * With an organization token, a body's `organization_id` must be absent (Polar rejects it:
 * the token already names the organization) — returns the token's organization.
 */
export function organizationForCreate(
  principal: Principal,
  body: { organization_id?: unknown } | undefined,
): string {
  const organizationId = organizationOf(principal);
  const given = body?.organization_id;
  // An OAuth2 user token names its organization in the body, as Polar asks of user tokens;
  // the emulator's user tokens act for one organization (chosen at consent).
  if (principal.kind === "organization" && principal.userId !== undefined) {
    if (given !== undefined && given !== null && given !== organizationId) {
      throw invalid(["body", "organization_id"], "Organization not found.", given);
    }
    return organizationId;
  }
  if (body && body.organization_id !== undefined && body.organization_id !== null) {
    throw invalid(
      ["body", "organization_id"],
      "Setting organization_id is disallowed when using an organization token.",
      body.organization_id,
    );
  }
  return organizationId;
}

/** Whether a list filter on `organization_id` (one id or several) admits `organizationId`. */
export function organizationFilterAdmits(filter: unknown, organizationId: string): boolean {
  if (filter === undefined || filter === null) return true;
  const ids = Array.isArray(filter) ? filter.map(String) : [String(filter)];
  return ids.includes(organizationId);
}
