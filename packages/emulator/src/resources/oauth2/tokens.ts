import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { EmulatorContext } from "../../context.js";
import { unauthorized } from "../../http/errors.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import { AUTHORIZATION_CODE_TTL_SECONDS, tokenHash } from "./authorization.js";
import { OAuth2Error, oauth2Json, oauth2Response } from "./errors.js";
import { issueIdToken } from "./id-token.js";
import { issuerOf } from "./metadata.js";
import { scopeList } from "./scopes.js";
import {
  authorizationCodes,
  findClient,
  oauth2Tokens,
  users,
  type OAuth2ClientRecord,
  type OAuth2TokenRecord,
  type UserRecord,
} from "./store.js";

/** Polar's token prefixes: the OAuth2 server only issues user tokens now. */
const ACCESS_TOKEN_PREFIX = "polar_at_u_";
const REFRESH_TOKEN_PREFIX = "polar_rt_u_";
/** authlib's BearerTokenGenerator lifetimes: 10 days from a code, 1 hour from a refresh. */
const EXPIRES_IN: Record<string, number> = { authorization_code: 864_000, refresh_token: 3600 };

type Form = Record<string, string>;
type AuthMethod = "client_secret_basic" | "client_secret_post" | "none";

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * authlib's client authentication at the token, revocation and introspection endpoints:
 * HTTP Basic, `client_id` + `client_secret` in the form, or `client_id` alone for a public
 * client; the method must be the one the client registered. 401 when Basic was used.
 */
function authenticateClient(
  req: OperationRequest,
  ctx: EmulatorContext,
  form: Form,
  methods: AuthMethod[],
): OAuth2ClientRecord {
  const header = req.headers.get("authorization") ?? "";
  const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  let clientId: string | undefined;
  let secret: string | undefined;
  let method: AuthMethod;
  if (basic) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    clientId = decodeURIComponent(colon < 0 ? decoded : decoded.slice(0, colon));
    secret = colon < 0 ? "" : decodeURIComponent(decoded.slice(colon + 1));
    method = "client_secret_basic";
  } else if (form.client_secret !== undefined) {
    clientId = form.client_id;
    secret = form.client_secret;
    method = "client_secret_post";
  } else {
    clientId = form.client_id;
    method = "none";
  }
  const status = basic ? 401 : 400;
  const client = clientId ? findClient(ctx, clientId) : undefined;
  if (
    !client ||
    !methods.includes(method) ||
    client.metadata.token_endpoint_auth_method !== method ||
    (method !== "none" && !same(secret ?? "", client.client_secret))
  ) {
    throw new OAuth2Error("invalid_client", undefined, status);
  }
  return client;
}

const now = (ctx: EmulatorContext) => Math.floor(ctx.clock.now().getTime() / 1000);
const newToken = (prefix: string) => `${prefix}${randomBytes(32).toString("base64url")}`;

/** authlib's CodeChallenge check at the token endpoint. */
function checkCodeVerifier(form: Form, challenge: string | null, method: string | null): void {
  const verifier = form.code_verifier;
  if (!challenge && !verifier) return;
  if (!verifier) throw new OAuth2Error("invalid_request", 'Missing "code_verifier"');
  if (!challenge) throw new OAuth2Error("invalid_request", 'Missing "code_challenge"');
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) {
    throw new OAuth2Error("invalid_request", 'Invalid "code_verifier"');
  }
  const computed =
    method === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
  if (computed !== challenge) throw new OAuth2Error("invalid_grant", "Code challenge failed.");
}

/**
 * Saves a token pair and mirrors its access token into the emulator's token table, so
 * that it authenticates `/v1` requests with its scopes, for its organization.
 */
function saveToken(
  ctx: EmulatorContext,
  input: {
    client: OAuth2ClientRecord;
    user: UserRecord;
    scope: string;
    organizationIds: string[];
    grantType: string;
    withRefresh: boolean;
  },
) {
  const accessToken = newToken(ACCESS_TOKEN_PREFIX);
  const refreshToken = input.withRefresh ? newToken(REFRESH_TOKEN_PREFIX) : null;
  const issuedAt = now(ctx);
  const expiresIn = EXPIRES_IN[input.grantType] ?? 3600;
  const rowId = newId();
  const organizationId = input.organizationIds[0]!;
  ctx.tokens.insert({
    id: rowId,
    organization_id: organizationId,
    token: accessToken,
    kind: "oauth2_user",
    scopes: scopeList(input.scope),
    user_id: input.user.id,
    expires_at: iso(new Date((issuedAt + expiresIn) * 1000)),
    comment: `OAuth2 ${input.client.metadata.client_name}`,
    created_at: iso(ctx.clock.now()),
  });
  oauth2Tokens(ctx).insert({
    id: newId(),
    client_id: input.client.client_id,
    user_id: input.user.id,
    access_token_hash: tokenHash(accessToken),
    refresh_token_hash: refreshToken ? tokenHash(refreshToken) : null,
    scope: input.scope,
    organization_ids: input.organizationIds,
    issued_at: issuedAt,
    expires_in: expiresIn,
    access_token_revoked_at: null,
    refresh_token_revoked_at: null,
    access_token_row_id: rowId,
  });
  return {
    accessToken,
    body: {
      token_type: "Bearer",
      access_token: accessToken,
      expires_in: expiresIn,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      scope: input.scope,
    } as Record<string, unknown>,
  };
}

/** The claims of a user that a scope unlocks (Polar's generate_user_info). */
export function userInfo(user: UserRecord, scope: string): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopeList(scope).includes("email")) {
    claims.email = user.email;
    claims.email_verified = user.email_verified;
  }
  return claims;
}

async function authorizationCodeGrant(req: OperationRequest, ctx: EmulatorContext, form: Form) {
  const client = authenticateClient(req, ctx, form, [
    "client_secret_basic",
    "client_secret_post",
    "none",
  ]);
  if (!client.metadata.grant_types.includes("authorization_code")) {
    throw new OAuth2Error(
      "unauthorized_client",
      "The client is not authorized to use 'grant_type=authorization_code'",
    );
  }
  if (!form.code) throw new OAuth2Error("invalid_request", 'Missing "code" in request.');
  const code = authorizationCodes(ctx)
    .findBy("code_hash", tokenHash(form.code))
    .find((c) => c.client_id === client.client_id);
  if (!code || code.auth_time + AUTHORIZATION_CODE_TTL_SECONDS < now(ctx)) {
    throw new OAuth2Error("invalid_grant", 'Invalid "code" in request.');
  }
  if (code.redirect_uri !== null && code.redirect_uri !== form.redirect_uri) {
    throw new OAuth2Error("invalid_grant", 'Invalid "redirect_uri" in request.');
  }
  checkCodeVerifier(form, code.code_challenge, code.code_challenge_method);
  const user = users(ctx).get(code.user_id);
  if (!user) throw new OAuth2Error("invalid_grant", 'Invalid "code" in request.');
  const { accessToken, body } = ctx.store.transaction(() => {
    authorizationCodes(ctx).delete(code.id);
    return saveToken(ctx, {
      client,
      user,
      scope: code.scope,
      organizationIds: code.organization_ids,
      grantType: "authorization_code",
      withRefresh: client.metadata.grant_types.includes("refresh_token"),
    });
  });
  if (scopeList(code.scope).includes("openid")) {
    body.id_token = await issueIdToken(ctx, {
      issuer: issuerOf(req.url.origin),
      clientId: client.client_id,
      claims: userInfo(user, code.scope),
      accessToken,
      nonce: code.nonce,
      authTime: code.auth_time,
    });
  }
  return oauth2Json(body);
}

function refreshTokenGrant(req: OperationRequest, ctx: EmulatorContext, form: Form) {
  const client = authenticateClient(req, ctx, form, [
    "client_secret_basic",
    "client_secret_post",
    "none",
  ]);
  if (!client.metadata.grant_types.includes("refresh_token")) {
    throw new OAuth2Error(
      "unauthorized_client",
      "The client is not authorized to use 'grant_type=refresh_token'",
    );
  }
  if (!form.refresh_token)
    throw new OAuth2Error("invalid_request", 'Missing "refresh_token" in request.');
  const old = oauth2Tokens(ctx).findBy("refresh_token_hash", tokenHash(form.refresh_token))[0];
  if (
    !old ||
    old.refresh_token_revoked_at !== null ||
    old.access_token_revoked_at !== null ||
    old.client_id !== client.client_id
  ) {
    throw new OAuth2Error("invalid_grant", 'Invalid "refresh_token" in request.');
  }
  const granted = scopeList(old.scope);
  if (form.scope !== undefined && scopeList(form.scope).some((s) => !granted.includes(s))) {
    throw new OAuth2Error("invalid_scope");
  }
  const user = users(ctx).get(old.user_id);
  if (!user) throw new OAuth2Error("invalid_grant", 'Invalid "refresh_token" in request.');
  const { body } = ctx.store.transaction(() => {
    // authlib's revoke_old_credential: the old refresh token only; its access token lives on.
    oauth2Tokens(ctx).put({ ...old, refresh_token_revoked_at: now(ctx) });
    return saveToken(ctx, {
      client,
      user,
      scope: form.scope !== undefined ? scopeList(form.scope).join(" ") : old.scope,
      organizationIds: old.organization_ids,
      grantType: "refresh_token",
      withRefresh: true,
    });
  });
  return oauth2Json(body);
}

/** The token record a token text names, by hint or either kind (authlib's query_token). */
function queryToken(
  ctx: EmulatorContext,
  text: string,
  hint: string | undefined,
): { record: OAuth2TokenRecord; kind: "access_token" | "refresh_token" } | undefined {
  const hash = tokenHash(text);
  if (hint !== "refresh_token") {
    const record = oauth2Tokens(ctx).findBy("access_token_hash", hash)[0];
    if (record) return { record, kind: "access_token" };
  }
  if (hint !== "access_token") {
    const record = oauth2Tokens(ctx).findBy("refresh_token_hash", hash)[0];
    if (record) return { record, kind: "refresh_token" };
  }
  return undefined;
}

const formOf = (req: OperationRequest): Form => (req.body ?? {}) as Form;

export const tokenHandlers: OperationHandlers = {
  "oauth2:request_token": (req, ctx) =>
    oauth2Response(() => {
      const form = formOf(req);
      switch (form.grant_type) {
        case "authorization_code":
          return authorizationCodeGrant(req, ctx, form);
        case "refresh_token":
          return refreshTokenGrant(req, ctx, form);
        case "web": {
          // First-party clients exchange a polar.sh web session; the emulator has none.
          const client = authenticateClient(req, ctx, form, [
            "client_secret_basic",
            "client_secret_post",
          ]);
          if (!client.metadata.grant_types.includes("web")) {
            throw new OAuth2Error(
              "unauthorized_client",
              "The client is not authorized to use 'grant_type=web'",
            );
          }
          if (!form.session_token)
            throw new OAuth2Error("invalid_request", "Missing 'session_token' in request.");
          throw new OAuth2Error("invalid_grant");
        }
        default:
          throw new OAuth2Error(
            "unsupported_grant_type",
            `grant_type=${form.grant_type ?? ""} is not supported`,
          );
      }
    }),

  // RFC 7009: 200 `{}` whether or not the token was known to belong to the client.
  "oauth2:revoke_token": (req, ctx) =>
    oauth2Response(() => {
      const form = formOf(req);
      const client = authenticateClient(req, ctx, form, [
        "client_secret_basic",
        "client_secret_post",
      ]);
      if (!form.token) throw new OAuth2Error("invalid_request");
      const found = queryToken(ctx, form.token, form.token_type_hint);
      if (found && found.record.client_id === client.client_id) {
        const at = now(ctx);
        ctx.store.transaction(() => {
          oauth2Tokens(ctx).put({
            ...found.record,
            access_token_revoked_at: at,
            refresh_token_revoked_at:
              form.token_type_hint === "access_token" ? found.record.refresh_token_revoked_at : at,
          });
          ctx.tokens.delete(found.record.access_token_row_id);
        });
      }
      return oauth2Json({});
    }),

  "oauth2:introspect_token": (req, ctx) =>
    oauth2Response(() => {
      const form = formOf(req);
      const client = authenticateClient(req, ctx, form, [
        "client_secret_basic",
        "client_secret_post",
      ]);
      if (!form.token) throw new OAuth2Error("invalid_request");
      const found = queryToken(ctx, form.token, form.token_type_hint);
      if (!found || found.record.client_id !== client.client_id)
        return oauth2Json({ active: false });
      const { record, kind } = found;
      const expiresAt = record.issued_at + record.expires_in;
      const revoked =
        record.access_token_revoked_at !== null || record.refresh_token_revoked_at !== null;
      return oauth2Json({
        active: !revoked && expiresAt > now(ctx),
        client_id: record.client_id,
        token_type: kind,
        scope: record.scope,
        sub_type: "user",
        sub: record.user_id,
        organizations: record.organization_ids,
        aud: record.client_id,
        iss: issuerOf(req.url.origin),
        exp: expiresAt,
        iat: record.issued_at,
      });
    }),

  "oauth2:userinfo": (req, ctx) => {
    const principal = req.principal;
    const userId = principal.kind === "organization" ? principal.userId : undefined;
    const token = userId
      ? ctx.tokens.get(principal.kind === "organization" ? principal.tokenId : "")
      : undefined;
    const user = userId ? users(ctx).get(userId) : undefined;
    if (!user || !token) throw unauthorized();
    return userInfo(user, token.scopes.join(" "));
  },
};
