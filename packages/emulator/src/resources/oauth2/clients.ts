import type { EmulatorContext } from "../../context.js";
import { type ValidationIssue, validationError } from "../../http/errors.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso, newId, newSecret } from "../../ids.js";
import { OAuth2Error, oauth2Json, oauth2Response } from "./errors.js";
import { scopeList, scopesSupported } from "./scopes.js";
import {
  findClient,
  oauth2Clients,
  type ClientMetadata,
  type OAuth2ClientRecord,
} from "./store.js";

/** Polar's prefixes (server/polar/oauth2/constants.py). */
const CLIENT_ID_PREFIX = "polar_ci_";
const CLIENT_SECRET_PREFIX = "polar_cs_";
const REGISTRATION_TOKEN_PREFIX = "polar_crt_";

const GRANT_TYPES_SUPPORTED = ["authorization_code", "refresh_token", "web"];

type ConfigurationBody = Partial<ClientMetadata> & { client_id?: string; [key: string]: unknown };

const isLocalHost = (host: string): boolean => {
  const octets = host.split(".").map(Number);
  if (octets.length === 4 && octets.every((o) => Number.isInteger(o) && o >= 0 && o <= 255)) {
    const [a, b] = octets as [number, number, number, number];
    // Python's IPv4Address.is_private: loopback, RFC 1918, link-local …
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      a === 0
    );
  }
  return host === "localhost" || host.endsWith(".localhost");
};

/** Polar's `URIOrLocalhost`: HTTPS, or HTTP to a local or private host; other schemes pass. */
function redirectUriIssues(uris: string[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  uris.forEach((uri, index) => {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      issues.push({
        type: "url_parsing",
        loc: ["body", "redirect_uris", index],
        msg: "Input should be a valid URL",
        input: uri,
      });
      return;
    }
    if (url.protocol === "http:" && !isLocalHost(url.hostname.replace(/^\[|\]$/g, ""))) {
      issues.push({
        type: "value_error",
        loc: ["body", "redirect_uris", index],
        msg: "Value error, An HTTPS URL is required.",
        input: uri,
      });
    }
  });
  return issues;
}

/** The metadata a registration or update body sets, with Polar's defaults (pydantic's). */
function metadataOf(ctx: EmulatorContext, body: ConfigurationBody): ClientMetadata {
  const issues = redirectUriIssues(body.redirect_uris ?? []);
  if (issues.length > 0) throw validationError(issues);
  const supported = new Set(scopesSupported(ctx.document));
  const metadata: ClientMetadata = {
    redirect_uris: body.redirect_uris ?? [],
    token_endpoint_auth_method: body.token_endpoint_auth_method ?? "client_secret_post",
    grant_types: body.grant_types ?? ["authorization_code", "refresh_token"],
    response_types: body.response_types ?? ["code"],
    scope: body.scope ?? scopesSupported(ctx.document).join(" "),
    client_name: body.client_name ?? "",
    default_sub_type: body.default_sub_type ?? "user",
  };
  for (const key of ["client_uri", "logo_uri", "tos_uri", "policy_uri"] as const) {
    const value = body[key];
    if (typeof value === "string") metadata[key] = value;
  }
  const unknownScope = scopeList(metadata.scope).find((s) => !supported.has(s));
  if (unknownScope !== undefined) {
    throw new OAuth2Error("invalid_client_metadata", `Invalid claim "scope"`);
  }
  if (metadata.grant_types.some((g) => !GRANT_TYPES_SUPPORTED.includes(g))) {
    throw new OAuth2Error("invalid_client_metadata", `Invalid claim "grant_types"`);
  }
  return metadata;
}

/** What the registration and configuration endpoints answer about a client (RFC 7591/7592). */
function clientBody(record: OAuth2ClientRecord, requestUrl: URL): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...record.metadata,
    client_id: record.client_id,
    client_secret: record.client_secret,
    client_id_issued_at: record.client_id_issued_at,
    client_secret_expires_at: record.client_secret_expires_at,
    registration_client_uri: new URL(
      `/v1/oauth2/register/${record.client_id}`,
      requestUrl,
    ).toString(),
    registration_access_token: record.registration_access_token,
  };
  // Polar's workaround for public clients: no secret in the answer.
  if (record.metadata.token_endpoint_auth_method === "none") {
    delete body.client_secret;
    delete body.client_secret_expires_at;
  }
  return body;
}

/** Registers a client as Polar's dynamic client registration does; returns it. */
export function registerClient(ctx: EmulatorContext, body: ConfigurationBody): OAuth2ClientRecord {
  const metadata = metadataOf(ctx, body);
  const now = ctx.clock.now();
  return oauth2Clients(ctx).insert({
    id: newId(),
    client_id: newSecret(CLIENT_ID_PREFIX),
    client_secret: newSecret(CLIENT_SECRET_PREFIX),
    client_id_issued_at: Math.floor(now.getTime() / 1000),
    client_secret_expires_at: 0,
    registration_access_token: newSecret(REGISTRATION_TOKEN_PREFIX),
    created_at: iso(now),
    modified_at: null,
    deleted_at: null,
    metadata,
  });
}

const bearerOf = (req: OperationRequest): string | undefined =>
  /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "")?.[1];

/**
 * RFC 7592's check: a registration access token (or the user who registered the client)
 * reads, updates and deletes it; no credential is 400 `access_denied`, a wrong one 401.
 */
function configuredClient(req: OperationRequest, ctx: EmulatorContext): OAuth2ClientRecord {
  const credential = bearerOf(req);
  if (!credential) throw new OAuth2Error("access_denied");
  const client = findClient(ctx, req.path.client_id ?? "");
  if (!client || client.registration_access_token !== credential) {
    throw new OAuth2Error("invalid_client", undefined, 401);
  }
  return client;
}

export const clientHandlers: OperationHandlers = {
  "oauth2:clients:oauth2:create_client": (req, ctx) =>
    oauth2Response(() => {
      const client = registerClient(ctx, req.body as ConfigurationBody);
      return oauth2Json(clientBody(client, req.url), 201);
    }),
  "oauth2:clients:oauth2:get_client": (req, ctx) =>
    oauth2Response(() => oauth2Json(clientBody(configuredClient(req, ctx), req.url))),
  "oauth2:clients:oauth2:update_client": (req, ctx) =>
    oauth2Response(() => {
      const client = configuredClient(req, ctx);
      const body = req.body as ConfigurationBody;
      for (const key of [
        "registration_access_token",
        "registration_client_uri",
        "client_secret_expires_at",
        "client_id_issued_at",
      ]) {
        if (key in body) throw new OAuth2Error("invalid_request");
      }
      if (body.client_id !== client.client_id) throw new OAuth2Error("invalid_request");
      if (typeof body.client_secret === "string" && body.client_secret !== client.client_secret) {
        throw new OAuth2Error("invalid_request");
      }
      const updated: OAuth2ClientRecord = {
        ...client,
        metadata: { ...client.metadata, ...metadataOf(ctx, body) },
        modified_at: iso(ctx.clock.now()),
      };
      oauth2Clients(ctx).put(updated);
      return oauth2Json(clientBody(updated, req.url));
    }),
  "oauth2:clients:oauth2:delete_client": (req, ctx) =>
    oauth2Response(() => {
      const client = configuredClient(req, ctx);
      oauth2Clients(ctx).put({ ...client, deleted_at: iso(ctx.clock.now()) });
      return new Response(null, {
        status: 204,
        headers: { "Cache-Control": "no-store", Pragma: "no-cache" },
      });
    }),
};
