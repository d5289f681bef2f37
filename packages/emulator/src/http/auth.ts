import type { OperationSpec } from "../openapi/document.js";
import type { Collection } from "../store/collection.js";
import { HttpError, unauthorized } from "./errors.js";

/** A bearer token the emulator accepts. */
export interface AccessToken {
  id: string;
  organization_id: string;
  token: string;
  kind: "organization" | "customer_session";
  scopes: string[];
  /** For customer session tokens. */
  customer_id?: string | null;
  expires_at?: string | null;
  comment?: string;
  created_at: string;
}

/** Who is calling, as far as an operation is concerned. */
export type Principal =
  | { kind: "anonymous" }
  | { kind: "organization"; organizationId: string; scopes: ReadonlySet<string>; tokenId: string }
  | { kind: "customer"; organizationId: string; customerId: string; tokenId: string };

/** What an operation's `security` asks for. */
export interface SecurityRequirement {
  public: boolean;
  organizationScopes: string[] | null;
  customerSession: boolean;
}

/** Reads an operation's `security`: public, organization token (with scopes), customer session. */
export function securityOf(op: OperationSpec): SecurityRequirement {
  const security = op.operation.security;
  if (!security || security.length === 0) {
    return { public: true, organizationScopes: null, customerSession: false };
  }
  let organizationScopes: string[] | null = null;
  let customerSession = false;
  for (const entry of security) {
    for (const [scheme, scopes] of Object.entries(entry)) {
      if (scheme === "oat" || scheme === "pat" || scheme === "oidc") {
        organizationScopes = [...new Set([...(organizationScopes ?? []), ...scopes])];
      }
      if (scheme === "customer_session" || scheme === "member_session") customerSession = true;
    }
  }
  return { public: false, organizationScopes, customerSession };
}

function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** A token as the cache keeps it: parsed once, with its principal built once. */
export interface KnownToken {
  token: AccessToken;
  /** Expiry in epoch milliseconds, or null. */
  expiresAt: number | null;
  scopes: ReadonlySet<string>;
  principal: Principal;
}

/**
 * Tokens by their text, in memory: every authenticated request looks its token up, and a
 * SQLite query plus a JSON parse plus two scope sets per request is most of what a cheap
 * endpoint costs. Any write to the tokens collection (or a reset) empties the cache.
 */
export class TokenCache {
  private readonly known = new Map<string, KnownToken | null>();
  private version = -1;

  constructor(private readonly tokens: Collection<AccessToken>) {}

  lookup(raw: string): KnownToken | undefined {
    if (this.tokens.version !== this.version) {
      this.known.clear();
      this.version = this.tokens.version;
    }
    let entry = this.known.get(raw);
    if (entry === undefined) {
      const token = this.tokens.findBy("token", raw)[0];
      entry = token
        ? {
            token,
            expiresAt: token.expires_at ? new Date(token.expires_at).getTime() : null,
            scopes: new Set(token.scopes),
            principal: principalOf(token),
          }
        : null;
      // Unknown texts are remembered too (a client retrying a bad token); bound the map.
      if (this.known.size >= 10_000) this.known.clear();
      this.known.set(raw, entry);
    }
    return entry ?? undefined;
  }
}

/**
 * Authenticates a request for one operation: 401 with `WWW-Authenticate: Bearer` for a
 * missing, unknown or expired token, 403 for a token without any of the operation's scopes.
 */
export function authenticate(
  requirement: SecurityRequirement,
  authorization: string | undefined,
  tokens: TokenCache,
  now: Date,
): Principal {
  const raw = bearer(authorization);
  if (requirement.public && !raw) return { kind: "anonymous" };
  if (!raw) throw unauthorized();
  const known = tokens.lookup(raw);
  if (!known || (known.expiresAt !== null && known.expiresAt <= now.getTime())) {
    if (requirement.public) return { kind: "anonymous" };
    throw unauthorized();
  }
  const { token, scopes, principal } = known;
  if (requirement.public) return principal;
  if (token.kind === "customer_session") {
    if (!requirement.customerSession) throw unauthorized();
    return principal;
  }
  if (requirement.organizationScopes === null) throw unauthorized();
  if (
    requirement.organizationScopes.length > 0 &&
    !requirement.organizationScopes.some((s) => scopes.has(s))
  ) {
    throw new HttpError(
      403,
      "InsufficientScope",
      `The access token lacks the scope this operation needs (one of: ${requirement.organizationScopes.join(", ")}).`,
    );
  }
  return principal;
}

function principalOf(token: AccessToken): Principal {
  if (token.kind === "customer_session" && token.customer_id) {
    return {
      kind: "customer",
      organizationId: token.organization_id,
      customerId: token.customer_id,
      tokenId: token.id,
    };
  }
  return {
    kind: "organization",
    organizationId: token.organization_id,
    scopes: new Set(token.scopes),
    tokenId: token.id,
  };
}
