import type {
  AccountRecord,
  ApiTokenRecord,
  AuditEntry,
  CallStatus,
  PolarEnvironment,
  ServerConfig,
  ServerRecord,
  ServerStatus,
} from "./types.js";

// Row shapes shared by the SQLite and PostgreSQL registries (same column names in both).
type Row = Record<string, unknown>;

export function accountFromRow(row: Row): AccountRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    environment: String(row.environment) as PolarEnvironment,
    baseUrl: String(row.base_url),
    credentialCiphertext: String(row.credential),
    createdAt: String(row.created_at),
  };
}

export function serverFromRow(row: Row): ServerRecord {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    name: String(row.name),
    config: JSON.parse(String(row.config)) as ServerConfig,
    expiresAt:
      row.expires_at === null || row.expires_at === undefined ? null : String(row.expires_at),
    requireApiTokenAuth: Boolean(row.require_api_token_auth),
    status: String(row.status) as ServerStatus,
    tokenHash: String(row.token_hash),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

export function apiTokenFromRow(row: Row): ApiTokenRecord {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    name: String(row.name),
    tokenHash: String(row.token_hash),
    createdAt: String(row.created_at),
  };
}

export function auditFromRow(row: Row): AuditEntry {
  return {
    id: String(row.id),
    at: String(row.at),
    serverId: String(row.server_id),
    accountId: String(row.account_id),
    tool: String(row.tool),
    status: String(row.status) as CallStatus,
    upstreamStatus: row.upstream_status === null ? null : Number(row.upstream_status),
    latencyMs: Number(row.latency_ms),
    arguments: row.arguments === null ? null : String(row.arguments),
  };
}

const AUDIT_COLUMNS =
  "id, at, server_id, account_id, tool, status, upstream_status, latency_ms, arguments";

/** Inserts one audit entry (values from {@link auditValues}). */
export const AUDIT_INSERT = `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Inserts `rows` audit entries in one statement (values of each from {@link auditValues}). */
export function auditInsertRows(rows: number): string {
  const row = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
  return `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES ${Array.from({ length: rows }, () => row).join(", ")}`;
}

/** Column values of an audit entry, in insert order. */
export function auditValues(e: AuditEntry): unknown[] {
  return [
    e.id,
    e.at,
    e.serverId,
    e.accountId,
    e.tool,
    e.status,
    e.upstreamStatus,
    e.latencyMs,
    e.arguments,
  ];
}

/** Column values of a server, in {@link SERVER_COLUMNS} order. */
export function serverValues(s: ServerRecord): unknown[] {
  return [
    s.id,
    s.accountId,
    s.name,
    JSON.stringify(s.config),
    s.expiresAt,
    s.requireApiTokenAuth,
    s.status,
    s.tokenHash,
    s.createdAt,
    s.updatedAt,
  ];
}

export const SERVER_COLUMNS =
  "id, account_id, name, config, expires_at, require_api_token_auth, status, token_hash, created_at, updated_at";

/** The columns a patch sets, with their values. */
export function patchColumns(patch: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  if (patch.name !== undefined) out.push(["name", patch.name]);
  if (patch.config !== undefined) out.push(["config", JSON.stringify(patch.config)]);
  if (patch.expiresAt !== undefined) out.push(["expires_at", patch.expiresAt]);
  if (patch.requireApiTokenAuth !== undefined)
    out.push(["require_api_token_auth", patch.requireApiTokenAuth]);
  if (patch.status !== undefined) out.push(["status", patch.status]);
  return out;
}

/** WHERE clause (with `?` placeholders) and parameters of an audit query. */
export function callFilter(q: { accountId?: string; serverId?: string; before?: string }): {
  clause: string;
  params: unknown[];
} {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    where.push(sql);
    params.push(value);
  };
  if (q.accountId) add("account_id = ?", q.accountId);
  if (q.serverId) add("server_id = ?", q.serverId);
  if (q.before) add("at < ?", q.before);
  return { clause: where.length ? `WHERE ${where.join(" AND ")}` : "", params };
}
