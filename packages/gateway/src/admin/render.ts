import { credentialKindOf } from "@polar-mcp/server";
import { renderServerConfig } from "../config/parse.js";
import type { AccountRecord, ApiTokenRecord, AuditEntry, ServerRecord } from "../registry/types.js";

/** An account as the admin API shows it: never the credential, only its kind. */
export function renderAccount(
  account: AccountRecord,
  credentialKind: string | null,
  credentialKeyId: string | null,
  connection: "token" | "oauth2" | null,
  credentialError?: { error: string; detail: string },
): Record<string, unknown> {
  return {
    id: account.id,
    name: account.name,
    environment: account.environment,
    base_url: account.baseUrl,
    credential_kind: credentialKind,
    credential_key_id: credentialKeyId,
    connection,
    ...(credentialError ? { credential_error: credentialError } : {}),
    created_at: account.createdAt,
  };
}

/** The credential kind of a plaintext token, for {@link renderAccount}. */
export const kindOf = credentialKindOf;

/**
 * A server as the admin API shows it; `url` (MCP) and `proxy_url` (REST, append `/v1/…`)
 * only right after create or rotate.
 */
export function renderServer(
  server: ServerRecord,
  urls?: { url: string; proxyUrl: string },
): Record<string, unknown> {
  return {
    id: server.id,
    name: server.name,
    ...(urls ? { url: urls.url, proxy_url: urls.proxyUrl } : {}),
    account_id: server.accountId,
    config: renderServerConfig(server.config),
    expires_at: server.expiresAt,
    require_api_token_auth: server.requireApiTokenAuth,
    status: server.status,
    created_at: server.createdAt,
    updated_at: server.updatedAt,
  };
}

export function renderApiToken(token: ApiTokenRecord, secret?: string): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    account_id: token.accountId,
    ...(secret ? { token: secret } : {}),
    created_at: token.createdAt,
  };
}

export function renderCall(entry: AuditEntry): Record<string, unknown> {
  return {
    id: entry.id,
    at: entry.at,
    server_id: entry.serverId,
    account_id: entry.accountId,
    tool: entry.tool,
    status: entry.status,
    upstream_status: entry.upstreamStatus,
    latency_ms: entry.latencyMs,
    ...(entry.arguments !== null ? { arguments: JSON.parse(entry.arguments) as unknown } : {}),
  };
}
