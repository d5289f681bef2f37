import type { OperationSpec } from "../openapi/document.js";
import type { Collection } from "../store/collection.js";
import { HttpError, unauthorized } from "./errors.js";

/** A bearer token the emulator accepts. */
export interface AccessToken {
  id: string;
  organization_id: string;
  token: string;
  /** `oauth2_user`: an OAuth2 access token of a user, down-scoped to `organization_id`. */
  kind: "organization" | "customer_session" | "oauth2_user";
  scopes: string[];
  /** For OAuth2 user tokens: the user the token was issued to. */
  user_id?: string | null;
  /** For customer session tokens. */
  customer_id?: string | null;
  expires_at?: string | null;
  comment?: string;
  created_at: string;
}

/** Who is calling, as far as an operation is concerned. */
export type Principal =
  | { kind: "anonymous" }
  | {
      kind: "organization";
      organizationId: string;
      scopes: ReadonlySet<string>;
      tokenId: string;
      /** Set for OAuth2 user tokens (acting for the organization chosen at consent). */
      userId?: string;
    }
  | { kind: "customer"; organizationId: string; customerId: string; tokenId: string };

/** What an operation's `security` asks for. */
export interface SecurityRequirement {
  public: boolean;
  organizationScopes: string[] | null;
  /** Scopes of the `oidc` scheme (OAuth2 user tokens); null when they are not accepted. */
  userScopes: string[] | null;
  customerSession: boolean;
}

/**
 * Operations that authenticate their caller themselves, as Polar's (`WebUserOrAnonymous`
 * plus a client's registration access token): the router lets every caller through.
 */
const SELF_AUTHENTICATED = new Set([
  "oauth2:clients:oauth2:create_client",
  "oauth2:clients:oauth2:get_client",
  "oauth2:clients:oauth2:update_client",
  "oauth2:clients:oauth2:delete_client",
  "oauth2:authorize",
]);

/** Reads an operation's `security`: public, organization token (with scopes), customer session. */
export function securityOf(op: OperationSpec): SecurityRequirement {
  const security = op.operation.security;
  if (!security || security.length === 0 || SELF_AUTHENTICATED.has(op.operationId)) {
    return { public: true, organizationScopes: null, userScopes: null, customerSession: false };
  }
  let organizationScopes: string[] | null = null;
  let userScopes: string[] | null = null;
  let customerSession = false;
  for (const entry of security) {
    for (const [scheme, scopes] of Object.entries(entry)) {
      if (scheme === "oat" || scheme === "pat" || scheme === "oidc") {
        organizationScopes = [...new Set([...(organizationScopes ?? []), ...scopes])];
      }
      if (scheme === "oidc") userScopes = [...new Set([...(userScopes ?? []), ...scopes])];
      if (scheme === "customer_session" || scheme === "member_session") customerSession = true;
    }
  }
  return { public: false, organizationScopes, userScopes, customerSession };
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
  const needed =
    token.kind === "oauth2_user" ? requirement.userScopes : requirement.organizationScopes;
  if (needed === null) throw unauthorized();
  if (needed.length > 0 && !needed.some((s) => scopes.has(s))) {
    throw new HttpError(
      403,
      "InsufficientScope",
      `The access token lacks the scope this operation needs (one of: ${needed.join(", ")}).`,
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
    ...(token.kind === "oauth2_user" && token.user_id ? { userId: token.user_id } : {}),
  };
}
