import type { EmulatorContext } from "../context.js";
import type { AccessToken } from "../http/auth.js";
import { iso, newId, newSecret } from "../ids.js";
import type { OpenApiDocument } from "../openapi/document.js";
import { listOperations } from "../openapi/document.js";
import type { Collection } from "../store/collection.js";
import type { Store } from "../store/store.js";

export const accessTokens = (store: Store): Collection<AccessToken> =>
  store.collection<AccessToken>("access_tokens", { indexes: ["token"] });

/** Every scope an organization token can hold, read from the document's `oat` security. */
export function allOrganizationScopes(doc: OpenApiDocument): string[] {
  const scopes = new Set<string>();
  for (const op of listOperations(doc)) {
    for (const entry of op.operation.security ?? []) {
      for (const scope of entry.oat ?? []) scopes.add(scope);
    }
  }
  return [...scopes].sort();
}

/**
 * Issues an organization access token (`polar_oat_…`); all scopes unless `scopes` is given,
 * valid until `expiresAt` (an ISO date-time on the emulator's clock) when given.
 */
export function createOrganizationToken(
  ctx: EmulatorContext,
  organizationId: string,
  options: { scopes?: string[]; comment?: string; token?: string; expiresAt?: string } = {},
): AccessToken {
  const token: AccessToken = {
    id: newId(),
    organization_id: organizationId,
    token: options.token ?? newSecret("polar_oat_"),
    kind: "organization",
    scopes: options.scopes ?? allOrganizationScopes(ctx.document),
    created_at: iso(ctx.clock.now()),
    ...(options.expiresAt ? { expires_at: options.expiresAt } : {}),
    ...(options.comment ? { comment: options.comment } : {}),
  };
  return ctx.tokens.insert(token);
}
