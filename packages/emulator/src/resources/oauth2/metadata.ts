import type { EmulatorContext } from "../../context.js";
import { scopesSupported } from "./scopes.js";

/**
 * The issuer the emulator names in metadata, ID tokens and introspection: the URL clients
 * reach it at (Polar's is `https://polar.sh`; a client checking the issuer against the
 * metadata URL would refuse that here).
 */
export const issuerOf = (origin: string): string => origin;

/**
 * Polar's OpenID provider metadata (server/polar/oauth2/metadata.py), with the emulator's
 * URLs: the authorization endpoint is the consent page, as Polar's is its web app's.
 */
export function serverMetadata(ctx: EmulatorContext, origin: string): Record<string, unknown> {
  const at = (path: string) => new URL(path, origin).toString();
  return {
    issuer: issuerOf(origin),
    authorization_endpoint: at("/oauth2/authorize"),
    token_endpoint: at("/v1/oauth2/token"),
    jwks_uri: at("/.well-known/jwks.json"),
    userinfo_endpoint: at("/v1/oauth2/userinfo"),
    registration_endpoint: at("/v1/oauth2/register"),
    scopes_supported: scopesSupported(ctx.document),
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", "web"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    service_documentation: "https://polar.sh/docs",
    revocation_endpoint: at("/v1/oauth2/revoke"),
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    introspection_endpoint: at("/v1/oauth2/introspect"),
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["plain", "S256"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    claims_supported: ["sub", "name", "email", "email_verified"],
  };
}
