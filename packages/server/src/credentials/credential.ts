/**
 * The kind of Polar credential the server holds, read from the token's prefix. It decides
 * which operations are listed by default (those whose OpenAPI `security` admits it).
 */
export type CredentialKind =
  | "organization"
  | "personal"
  | "oauth_user"
  | "oauth_organization"
  | "customer_session"
  | "member_session"
  | "none";

/**
 * Token prefix → kind, as Polar's auth middleware tells them apart (server/polar/auth/
 * middlewares.py; OAuth2 access tokens: oauth2/constants.py, `polar_at_u_` for a user,
 * `polar_at_o_` for an organization). Tokens with another prefix count as organization tokens.
 */
const PREFIXES: ReadonlyArray<[string, CredentialKind]> = [
  ["polar_oat_", "organization"],
  ["polar_pat_", "personal"],
  ["polar_at_u_", "oauth_user"],
  ["polar_at_o_", "oauth_organization"],
  ["polar_cst_", "customer_session"],
  ["polar_mst_", "member_session"],
];

const LABELS: Record<CredentialKind, string> = {
  organization: "an organization access token (polar_oat_…)",
  personal: "a personal access token (polar_pat_…)",
  oauth_user: "a Polar OAuth token of a signed-in user (polar_at_u_…)",
  oauth_organization: "a Polar OAuth token of an organization (polar_at_o_…)",
  customer_session: "a customer session token (polar_cst_…)",
  member_session: "a member session token (polar_mst_…)",
  none: "no credential",
};

/**
 * Reads the kind of a token from its prefix; no token is `none`, an unknown prefix is
 * treated as an organization token (the common case, e.g. emulator tokens).
 */
export function credentialKindOf(token: string | undefined): CredentialKind {
  if (!token) return "none";
  for (const [prefix, kind] of PREFIXES) if (token.startsWith(prefix)) return kind;
  return "organization";
}

export function describeCredential(kind: CredentialKind): string {
  return LABELS[kind];
}

/**
 * True when the operation's security admits this kind. Polar writes `security` from the
 * subjects an operation allows (server/polar/auth/dependencies.py): `pat` when a user may
 * call it, `oat` when an organization may, `oidc` (OAuth2 access tokens) when either may.
 * So an OAuth2 token passes `oidc` only for its own subject: a user's when `pat` is listed,
 * an organization's when `oat` is; an operation with `oidc` alone (behind the OAuth2
 * dependency, e.g. userinfo) takes any OAuth2 access token.
 */
export function credentialCanCall(security: readonly string[][], kind: CredentialKind): boolean {
  if (security.length === 0) return true;
  const schemes = new Set(security.flat());
  return security.some((alternative) =>
    alternative.every((scheme) => satisfies(scheme, kind, schemes)),
  );
}

function satisfies(scheme: string, kind: CredentialKind, schemes: ReadonlySet<string>): boolean {
  switch (kind) {
    case "organization":
      return scheme === "oat";
    case "personal":
      return scheme === "pat";
    case "oauth_user":
      return scheme === "oidc" && (schemes.has("pat") || !schemes.has("oat"));
    case "oauth_organization":
      return scheme === "oidc" && (schemes.has("oat") || !schemes.has("pat"));
    case "customer_session":
      return scheme === "customer_session";
    case "member_session":
      return scheme === "member_session";
    case "none":
      return false;
  }
}

/** What an operation needs, in words, for error messages. */
export function describeRequirement(security: readonly string[][]): string {
  const kinds = (Object.keys(LABELS) as CredentialKind[]).filter(
    (kind) => kind !== "none" && credentialCanCall(security, kind),
  );
  if (kinds.length === 0) return "a user token (OAuth/OpenID Connect)";
  return kinds.map((kind) => LABELS[kind]).join(" or ");
}
