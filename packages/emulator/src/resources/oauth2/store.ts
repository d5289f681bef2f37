import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";

/** A registered client (RFC 7591), with Polar's defaults filled in. */
export interface OAuth2ClientRecord {
  id: string;
  organization_id?: null;
  client_id: string;
  client_secret: string;
  client_id_issued_at: number;
  client_secret_expires_at: number;
  registration_access_token: string;
  created_at: string;
  modified_at: string | null;
  deleted_at: string | null;
  /** The client metadata as registered (redirect_uris, grant_types, scope, …). */
  metadata: ClientMetadata;
}

export interface ClientMetadata {
  redirect_uris: string[];
  token_endpoint_auth_method: "client_secret_basic" | "client_secret_post" | "none";
  grant_types: string[];
  response_types: string[];
  scope: string;
  client_name: string;
  client_uri?: string | null;
  logo_uri?: string | null;
  tos_uri?: string | null;
  policy_uri?: string | null;
  default_sub_type: "user" | "organization";
}

/** An authorization code (stored by hash, as Polar), alive 5 minutes. */
export interface AuthorizationCodeRecord {
  id: string;
  organization_id?: null;
  code_hash: string;
  client_id: string;
  user_id: string;
  scope: string;
  redirect_uri: string | null;
  nonce: string | null;
  code_challenge: string | null;
  code_challenge_method: string | null;
  organization_ids: string[];
  /** Epoch seconds. */
  auth_time: number;
}

/** An issued token pair (hashes only); the access token is mirrored into the token table. */
export interface OAuth2TokenRecord {
  id: string;
  organization_id?: null;
  client_id: string;
  user_id: string;
  access_token_hash: string;
  refresh_token_hash: string | null;
  scope: string;
  organization_ids: string[];
  /** Epoch seconds, as authlib's columns. */
  issued_at: number;
  expires_in: number;
  access_token_revoked_at: number | null;
  refresh_token_revoked_at: number | null;
  /** Id of the access-token row that authenticates `/v1` requests. */
  access_token_row_id: string;
}

/** A user's consent to a client for a set of scopes (Polar's OAuth2Grant). */
export interface ConsentRecord {
  id: string;
  organization_id?: null;
  user_id: string;
  client_id: string;
  scope: string;
  /** The organizations chosen last time (what a skipped consent screen reuses). */
  organization_ids: string[];
}

/** The emulator's users: who signs in at the consent page. */
export interface UserRecord {
  id: string;
  organization_id?: null;
  email: string;
  email_verified: boolean;
  avatar_url: string | null;
  created_at: string;
}

export const oauth2Clients = (ctx: EmulatorContext): Collection<OAuth2ClientRecord> =>
  ctx.store.collection<OAuth2ClientRecord>("oauth2_clients", { indexes: ["client_id"] });

export const authorizationCodes = (ctx: EmulatorContext): Collection<AuthorizationCodeRecord> =>
  ctx.store.collection<AuthorizationCodeRecord>("oauth2_codes", { indexes: ["code_hash"] });

export const oauth2Tokens = (ctx: EmulatorContext): Collection<OAuth2TokenRecord> =>
  ctx.store.collection<OAuth2TokenRecord>("oauth2_tokens", {
    indexes: ["access_token_hash", "refresh_token_hash"],
  });

export const consents = (ctx: EmulatorContext): Collection<ConsentRecord> =>
  ctx.store.collection<ConsentRecord>("oauth2_grants", { indexes: ["user_id"] });

export const users = (ctx: EmulatorContext): Collection<UserRecord> =>
  ctx.store.collection<UserRecord>("users", { indexes: ["email"] });

/** A live (not deleted) client by its public client_id. */
export function findClient(ctx: EmulatorContext, clientId: string): OAuth2ClientRecord | undefined {
  return oauth2Clients(ctx)
    .findBy("client_id", clientId)
    .find((c) => c.deleted_at === null);
}
