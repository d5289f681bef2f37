/**
 * The registry's tables, one dialect-neutral definition: `{bool}` and `{serial}` are the
 * only words that differ. Times are ISO 8601 UTC strings in both engines, so ordering and
 * comparisons behave the same everywhere.
 */
export function schemaStatements(dialect: "sqlite" | "postgres"): string[] {
  const bool = dialect === "sqlite" ? "INTEGER" : "BOOLEAN";
  const serial =
    dialect === "sqlite" ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
  return [
    `CREATE TABLE IF NOT EXISTS accounts (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, environment TEXT NOT NULL,
      base_url TEXT NOT NULL, credential TEXT NOT NULL, created_at TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS servers (
      id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, config TEXT NOT NULL,
      expires_at TEXT, require_api_token_auth ${bool} NOT NULL, status TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS servers_account ON servers (account_id)`,
    `CREATE TABLE IF NOT EXISTS retired_tokens (
      token_hash TEXT PRIMARY KEY, server_id TEXT NOT NULL, retired_at TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS api_tokens (
      id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS audit (
      seq ${serial}, id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, server_id TEXT NOT NULL,
      account_id TEXT NOT NULL, tool TEXT NOT NULL, status TEXT NOT NULL,
      upstream_status INTEGER, latency_ms DOUBLE PRECISION NOT NULL, arguments TEXT)`,
    `CREATE INDEX IF NOT EXISTS audit_server ON audit (server_id, seq)`,
    `CREATE INDEX IF NOT EXISTS audit_account ON audit (account_id, seq)`,
    `CREATE INDEX IF NOT EXISTS audit_at ON audit (at)`,
    `CREATE TABLE IF NOT EXISTS rate_counters (
      key TEXT NOT NULL, window_start BIGINT NOT NULL, count INTEGER NOT NULL,
      PRIMARY KEY (key, window_start))`,
  ];
}
