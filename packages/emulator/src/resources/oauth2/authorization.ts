import { createHash, randomBytes } from "node:crypto";
import type { EmulatorContext } from "../../context.js";
import { newId } from "../../ids.js";
import { OAuth2Error } from "./errors.js";
import { allScopes, scopeList } from "./scopes.js";
import {
  authorizationCodes,
  consents,
  findClient,
  type OAuth2ClientRecord,
  type UserRecord,
} from "./store.js";
import { organizationsOfUser } from "./users.js";

/** Polar's prefix of authorization codes; codes live 5 minutes (authlib's default). */
const AUTHORIZATION_CODE_PREFIX = "polar_ac_";
export const AUTHORIZATION_CODE_TTL_SECONDS = 300;

export const tokenHash = (value: string): string =>
  createHash("sha256").update(value).digest("hex");

/** An authorization request, validated as authlib validates it. */
export interface AuthorizationRequest {
  client: OAuth2ClientRecord;
  /** Where the answer goes (the one sent, else the client's first). */
  redirectUri: string;
  /** The redirect_uri parameter as sent (the token request must repeat it). */
  redirectUriParam: string | null;
  scope: string;
  state: string | undefined;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  prompt: string | null;
  /** `sub_type=organization` (or the client's default): exactly one organization. */
  requiresSingleOrganization: boolean;
  /** The request's parameters, carried through the consent form. */
  params: Record<string, string>;
}

const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * Validates `/authorize` parameters in authlib's order: client (no redirect), redirect URI
 * (no redirect), response type, scope, PKCE, sub_type and prompt (redirected back to the
 * client with `error`).
 */
export function validateAuthorizationRequest(
  ctx: EmulatorContext,
  params: Record<string, string>,
): AuthorizationRequest {
  const state = params.state;
  if (params.response_type !== "code") {
    throw new OAuth2Error(
      "unsupported_response_type",
      `response_type=${params.response_type ?? ""} is not supported`,
    );
  }
  const client = params.client_id ? findClient(ctx, params.client_id) : undefined;
  if (!client) throw new OAuth2Error("invalid_client");
  const redirectUriParam = params.redirect_uri ?? null;
  let redirectUri: string;
  if (redirectUriParam !== null) {
    if (!client.metadata.redirect_uris.includes(redirectUriParam)) {
      throw new OAuth2Error(
        "invalid_request",
        `Redirect URI ${redirectUriParam} is not supported by client.`,
      );
    }
    redirectUri = redirectUriParam;
  } else {
    const first = client.metadata.redirect_uris[0];
    if (!first) throw new OAuth2Error("invalid_request", 'Missing "redirect_uri" in request.');
    redirectUri = first;
  }
  const redirect = { uri: redirectUri, state };
  if (!client.metadata.response_types.includes("code")) {
    throw new OAuth2Error("unauthorized_client", undefined, 400, redirect);
  }
  // No scope asked for: the client's (Polar's before_validate_authorization_request_payload).
  const scope = params.scope ?? client.metadata.scope;
  const known = new Set(allScopes(ctx.document));
  if (scopeList(scope).some((s) => !known.has(s))) {
    throw new OAuth2Error("invalid_scope", undefined, 400, redirect);
  }
  const codeChallenge = params.code_challenge ?? null;
  const codeChallengeMethod = params.code_challenge_method ?? (codeChallenge ? "plain" : null);
  if (client.metadata.token_endpoint_auth_method === "none" && !codeChallenge) {
    throw new OAuth2Error("invalid_request", 'Missing "code_challenge"', 400, redirect);
  }
  if (codeChallenge && !CODE_CHALLENGE.test(codeChallenge)) {
    throw new OAuth2Error("invalid_request", 'Invalid "code_challenge"', 400, redirect);
  }
  if (codeChallengeMethod && !["plain", "S256"].includes(codeChallengeMethod)) {
    throw new OAuth2Error("invalid_request", 'Unsupported "code_challenge_method"', 400, redirect);
  }
  const subType = params.sub_type ?? client.metadata.default_sub_type;
  if (subType !== "user" && subType !== "organization") {
    throw new OAuth2Error("invalid_request", "Invalid sub_type", 400, redirect);
  }
  return {
    client,
    redirectUri,
    redirectUriParam,
    scope: scopeList(scope).join(" "),
    state,
    nonce: params.nonce ?? null,
    codeChallenge,
    codeChallengeMethod,
    prompt: params.prompt ?? null,
    requiresSingleOrganization: subType === "organization",
    params,
  };
}

/** The user's earlier consent to this client covering every scope asked for, if any. */
export function grantedConsent(
  ctx: EmulatorContext,
  user: UserRecord,
  request: AuthorizationRequest,
): { organization_ids: string[] } | undefined {
  const consent = consents(ctx)
    .findBy("user_id", user.id)
    .find((c) => c.client_id === request.client.client_id);
  if (!consent) return undefined;
  const granted = new Set(scopeList(consent.scope));
  if (!scopeList(request.scope).every((s) => granted.has(s))) return undefined;
  return { organization_ids: consent.organization_ids };
}

/**
 * What `prompt` makes of a request before the consent screen: `none` needs an earlier
 * consent (else `consent_required`); no prompt with an earlier consent skips the screen.
 */
export function consentShortcut(
  ctx: EmulatorContext,
  user: UserRecord,
  request: AuthorizationRequest,
): { organization_ids: string[] } | undefined {
  const granted = grantedConsent(ctx, user, request);
  if (request.prompt === "none" && !granted) {
    throw new OAuth2Error("consent_required", undefined, 400, {
      uri: request.redirectUri,
      state: request.state,
    });
  }
  return request.prompt === null || request.prompt === "none" ? granted : undefined;
}

/**
 * Issues an authorization code for the user's choice, remembers the consent and answers
 * with the redirect to the client (302, `code` and `state`). `organizationIds` are the
 * organizations the token is down-scoped to; the emulator acts for exactly one.
 */
export function approve(
  ctx: EmulatorContext,
  user: UserRecord,
  request: AuthorizationRequest,
  organizationIds: string[],
): Response {
  const redirect = { uri: request.redirectUri, state: request.state };
  const accessible = new Set(organizationsOfUser(ctx).map((o) => o.id));
  for (const id of organizationIds) {
    if (!accessible.has(id)) {
      throw new OAuth2Error(
        "invalid_request",
        `Organization ${id} is not accessible`,
        400,
        redirect,
      );
    }
  }
  if (organizationIds.length !== 1) {
    throw new OAuth2Error(
      "invalid_request",
      organizationIds.length === 0
        ? "Select the organization the token acts for."
        : "The emulator issues tokens for one organization: select one.",
      400,
      redirect,
    );
  }
  const code = `${AUTHORIZATION_CODE_PREFIX}${randomBytes(32).toString("base64url")}`;
  ctx.store.transaction(() => {
    authorizationCodes(ctx).insert({
      id: newId(),
      code_hash: tokenHash(code),
      client_id: request.client.client_id,
      user_id: user.id,
      scope: request.scope,
      redirect_uri: request.redirectUriParam,
      nonce: request.nonce,
      code_challenge: request.codeChallenge,
      code_challenge_method: request.codeChallengeMethod,
      organization_ids: organizationIds,
      auth_time: Math.floor(ctx.clock.now().getTime() / 1000),
    });
    const existing = consents(ctx)
      .findBy("user_id", user.id)
      .find((c) => c.client_id === request.client.client_id);
    const scope = scopeList(`${existing?.scope ?? ""} ${request.scope}`).join(" ");
    if (existing) consents(ctx).put({ ...existing, scope, organization_ids: organizationIds });
    else
      consents(ctx).insert({
        id: newId(),
        user_id: user.id,
        client_id: request.client.client_id,
        scope,
        organization_ids: organizationIds,
      });
  });
  const url = new URL(request.redirectUri);
  url.searchParams.set("code", code);
  if (request.state !== undefined) url.searchParams.set("state", request.state);
  return new Response(null, { status: 302, headers: { Location: url.toString() } });
}

/** The browser declined: back to the client with `access_denied`. */
export function deny(request: AuthorizationRequest): Response {
  return new OAuth2Error("access_denied", undefined, 400, {
    uri: request.redirectUri,
    state: request.state,
  }).toResponse();
}
