/**
 * The kind of Polar credential the server holds, read from the token's prefix. It decides
 * which operations are listed by default (those whose OpenAPI `security` accepts it).
 */
export type CredentialKind =
  "organization" | "personal" | "oauth_user" | "customer_session" | "member_session" | "none";

/** Token prefix → kind. Tokens with another prefix count as organization tokens. */
const PREFIXES: ReadonlyArray<[string, CredentialKind]> = [
  ["polar_oat_", "organization"],
  ["polar_pat_", "personal"],
  ["polar_at_u_", "oauth_user"],
  ["polar_cst_", "customer_session"],
  ["polar_mst_", "member_session"],
];

/** OpenAPI security scheme names each kind satisfies in Polar's document. */
const SCHEMES: Record<CredentialKind, readonly string[]> = {
  organization: ["oat"],
  personal: ["pat"],
  oauth_user: ["oidc"],
  customer_session: ["customer_session"],
  member_session: ["member_session"],
  none: [],
};

const LABELS: Record<CredentialKind, string> = {
  organization: "an organization access token (polar_oat_…)",
  personal: "a personal access token (polar_pat_…)",
  oauth_user: "a Polar OAuth token of a signed-in user (polar_at_u_…)",
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

/** True when one of the operation's security alternatives is satisfied by this kind. */
export function credentialCanCall(security: readonly string[][], kind: CredentialKind): boolean {
  if (security.length === 0) return true;
  const schemes = SCHEMES[kind];
  return security.some((alternative) => alternative.every((scheme) => schemes.includes(scheme)));
}

/** What an operation needs, in words, for error messages. */
export function describeRequirement(security: readonly string[][]): string {
  const kinds = (Object.keys(SCHEMES) as CredentialKind[]).filter(
    (kind) => kind !== "none" && credentialCanCall(security, kind),
  );
  if (kinds.length === 0) return "a user token (OAuth/OpenID Connect)";
  return kinds.map((kind) => LABELS[kind]).join(" or ");
}
