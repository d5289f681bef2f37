import Database from "better-sqlite3";
import {
  accountFromRow,
  apiTokenFromRow,
  auditFromRow,
  callFilter,
  patchColumns,
  SERVER_COLUMNS,
  serverFromRow,
  serverValues,
} from "../rows.js";
import { schemaStatements } from "../schema.js";
import type { Registry, ServerRecord } from "../types.js";

type Row = Record<string, unknown>;

// better-sqlite3 binds numbers, strings, bigints, buffers and null, not booleans.
function bind(values: unknown[]): unknown[] {
  return values.map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v));
}

/**
 * The default registry: one SQLite file (or `:memory:`), WAL mode. Synchronous under the
 * hood; the async interface is shared with PostgreSQL.
 *
 * @example
 * const registry = createSqliteRegistry(".polar-gateway.sqlite");
 */
export function createSqliteRegistry(file: string): Registry {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // In WAL mode NORMAL fsyncs at checkpoints, not at every commit: a crash of the process
  // loses nothing, a power cut may lose the last commits. FULL would fsync three times per
  // tool call (two counters and the audit entry) while blocking the event loop.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  for (const statement of schemaStatements("sqlite")) db.exec(statement);

  // Statements are prepared once per SQL text: every MCP request runs the same few.
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const all = (sql: string, ...params: unknown[]): Row[] =>
    prepare(sql).all(...bind(params)) as Row[];
  const get = (sql: string, ...params: unknown[]): Row | undefined =>
    prepare(sql).get(...bind(params)) as Row | undefined;
  const run = (sql: string, ...params: unknown[]): number =>
    prepare(sql).run(...bind(params)).changes;
  const server = (id: string): ServerRecord | undefined => {
    const row = get(`SELECT ${SERVER_COLUMNS} FROM servers WHERE id = ?`, id);
    return row ? serverFromRow(row) : undefined;
  };

  return {
    async createAccount(a) {
      run(
        "INSERT INTO accounts (id, name, environment, base_url, credential, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        a.id,
        a.name,
        a.environment,
        a.baseUrl,
        a.credentialCiphertext,
        a.createdAt,
      );
    },
    async getAccount(id) {
      const row = get("SELECT * FROM accounts WHERE id = ?", id);
      return row ? accountFromRow(row) : undefined;
    },
    async listAccounts() {
      return all("SELECT * FROM accounts ORDER BY created_at, id").map(accountFromRow);
    },
    async deleteAccount(id, at) {
      return db.transaction(() => {
        const removed = run("DELETE FROM accounts WHERE id = ?", id);
        if (removed === 0) return false;
        run("DELETE FROM api_tokens WHERE account_id = ?", id);
        run("UPDATE servers SET status = 'deleted', updated_at = ? WHERE account_id = ?", at, id);
        return true;
      })();
    },

    async createServer(s) {
      run(
        `INSERT INTO servers (${SERVER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...serverValues(s),
      );
    },
    async getServer(id) {
      return server(id);
    },
    async listServers(accountId) {
      return all(
        `SELECT ${SERVER_COLUMNS} FROM servers WHERE account_id = ? AND status <> 'deleted' ORDER BY created_at, id`,
        accountId,
      ).map(serverFromRow);
    },
    async updateServer(id, patch, at) {
      const columns = patchColumns(patch);
      const sets = [...columns.map(([c]) => `${c} = ?`), "updated_at = ?"].join(", ");
      const changed = run(
        `UPDATE servers SET ${sets} WHERE id = ?`,
        ...columns.map(([, v]) => v),
        at,
        id,
      );
      return changed === 0 ? undefined : server(id);
    },
    async rotateServerToken(id, tokenHash, at) {
      return db.transaction(() => {
        const current = server(id);
        if (!current) return undefined;
        run(
          "INSERT INTO retired_tokens (token_hash, server_id, retired_at) VALUES (?, ?, ?)",
          current.tokenHash,
          id,
          at,
        );
        run("UPDATE servers SET token_hash = ?, updated_at = ? WHERE id = ?", tokenHash, at, id);
        return server(id);
      })();
    },
    async findByTokenHash(tokenHash) {
      const row = get(`SELECT ${SERVER_COLUMNS} FROM servers WHERE token_hash = ?`, tokenHash);
      if (row) return { server: serverFromRow(row), state: "current", tokenHash };
      const retired = get("SELECT server_id FROM retired_tokens WHERE token_hash = ?", tokenHash);
      const owner = retired ? server(String(retired.server_id)) : undefined;
      return owner ? { server: owner, state: "rotated", tokenHash } : undefined;
    },

    async createApiToken(t) {
      run(
        "INSERT INTO api_tokens (id, account_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        t.id,
        t.accountId,
        t.name,
        t.tokenHash,
        t.createdAt,
      );
    },
    async listApiTokens(accountId) {
      return all(
        "SELECT * FROM api_tokens WHERE account_id = ? ORDER BY created_at, id",
        accountId,
      ).map(apiTokenFromRow);
    },
    async findApiToken(tokenHash) {
      const row = get("SELECT * FROM api_tokens WHERE token_hash = ?", tokenHash);
      return row ? apiTokenFromRow(row) : undefined;
    },
    async deleteApiToken(id) {
      return run("DELETE FROM api_tokens WHERE id = ?", id) > 0;
    },

    async recordCall(e) {
      run(
        "INSERT INTO audit (id, at, server_id, account_id, tool, status, upstream_status, latency_ms, arguments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        e.id,
        e.at,
        e.serverId,
        e.accountId,
        e.tool,
        e.status,
        e.upstreamStatus,
        e.latencyMs,
        e.arguments,
      );
    },
    async listCalls(q) {
      const { clause, params } = callFilter(q);
      return all(`SELECT * FROM audit ${clause} ORDER BY seq DESC LIMIT ?`, ...params, q.limit).map(
        auditFromRow,
      );
    },

    async hit(counters) {
      const upsert = `INSERT INTO rate_counters (key, window_start, count) VALUES (?, ?, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 RETURNING count`;
      return db.transaction(() =>
        counters.map(({ key, windowStart }) => Number(get(upsert, key, windowStart)?.count ?? 1)),
      )();
    },
    async pruneCounters(windowStart) {
      run("DELETE FROM rate_counters WHERE window_start < ?", windowStart);
    },

    async close() {
      db.close();
    },
  };
}
