import type pg from "pg";
import { GatewayError } from "../../errors.js";
import { DatabaseUnavailableError } from "../errors.js";
import {
  accountFromRow,
  apiTokenFromRow,
  auditFromRow,
  auditInsertRows,
  auditValues,
  callFilter,
  patchColumns,
  SERVER_COLUMNS,
  serverFromRow,
  serverValues,
} from "../rows.js";
import { schemaStatements } from "../schema.js";
import type { AuditEntry, Registry, ServerRecord } from "../types.js";

// 9 parameters a row: far below PostgreSQL's 65,535 per statement.
const AUDIT_ROWS_PER_STATEMENT = 500;
import { loadPgPool } from "./pg.js";

type Row = Record<string, unknown>;
type Queryable = Pick<pg.PoolClient, "query">;

// Statements are written with `?` like the SQLite registry; pg wants $1, $2, …
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Options of {@link createPostgresRegistry}. */
export interface PostgresRegistryOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  /** Most connections this process opens (default 10). */
  maxConnections?: number;
  /** Longest wait for a connection, in ms (default 5,000); past it the request gets a 503. */
  connectionTimeoutMs?: number;
}

/**
 * A registry in PostgreSQL, shared by every gateway process pointed at the same database:
 * a server created through one process is served by all, and counters of the rate limits
 * are shared too. Tables are created on first use (`CREATE TABLE IF NOT EXISTS`).
 *
 * @example
 * const registry = await createPostgresRegistry({ connectionString: process.env.DATABASE_URL! });
 */
export async function createPostgresRegistry(options: PostgresRegistryOptions): Promise<Registry> {
  const Pool = await loadPgPool();
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    // A database that does not answer fails the request (503) instead of queueing it forever.
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
  });
  // An idle client's error (database restart) must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  try {
    // Two processes starting together would race on CREATE TABLE IF NOT EXISTS; a
    // transaction-scoped advisory lock makes the migration one at a time.
    await transaction(pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(7315001)");
      for (const statement of schemaStatements("postgres")) await client.query(statement);
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new GatewayError(
      "database_unreachable",
      `Cannot prepare the PostgreSQL registry (${(error as Error).message}); check --database-url and that the server accepts connections.`,
      { cause: error },
    );
  }

  const query = async (q: Queryable, sql: string, params: unknown[]) => {
    try {
      return await q.query(numbered(sql), params);
    } catch (error) {
      throw unreachable(error) ? DatabaseUnavailableError.unreachable() : error;
    }
  };
  const all = async (q: Queryable, sql: string, ...params: unknown[]): Promise<Row[]> =>
    (await query(q, sql, params)).rows as Row[];
  const get = async (q: Queryable, sql: string, ...params: unknown[]): Promise<Row | undefined> =>
    (await all(q, sql, ...params))[0];
  const run = async (q: Queryable, sql: string, ...params: unknown[]): Promise<number> =>
    (await query(q, sql, params)).rowCount ?? 0;
  const server = async (q: Queryable, id: string): Promise<ServerRecord | undefined> => {
    const row = await get(q, `SELECT ${SERVER_COLUMNS} FROM servers WHERE id = ?`, id);
    return row ? serverFromRow(row) : undefined;
  };

  return {
    async createAccount(a) {
      await run(
        pool,
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
      const row = await get(pool, "SELECT * FROM accounts WHERE id = ?", id);
      return row ? accountFromRow(row) : undefined;
    },
    async listAccounts() {
      return (await all(pool, "SELECT * FROM accounts ORDER BY created_at, id")).map(
        accountFromRow,
      );
    },
    async updateAccountCredential(id, credential) {
      return (
        (await run(pool, "UPDATE accounts SET credential = ? WHERE id = ?", credential, id)) > 0
      );
    },
    async deleteAccount(id, at) {
      return transaction(pool, async (client) => {
        if ((await run(client, "DELETE FROM accounts WHERE id = ?", id)) === 0) return false;
        await run(client, "DELETE FROM api_tokens WHERE account_id = ?", id);
        await run(
          client,
          "UPDATE servers SET status = 'deleted', updated_at = ? WHERE account_id = ?",
          at,
          id,
        );
        return true;
      });
    },

    async createServer(s) {
      await run(
        pool,
        `INSERT INTO servers (${SERVER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...serverValues(s),
      );
    },
    async getServer(id) {
      return server(pool, id);
    },
    async listServers(accountId) {
      const rows = await all(
        pool,
        `SELECT ${SERVER_COLUMNS} FROM servers WHERE account_id = ? AND status <> 'deleted' ORDER BY created_at, id`,
        accountId,
      );
      return rows.map(serverFromRow);
    },
    async updateServer(id, patch, at) {
      const columns = patchColumns(patch);
      const sets = [...columns.map(([c]) => `${c} = ?`), "updated_at = ?"].join(", ");
      const changed = await run(
        pool,
        `UPDATE servers SET ${sets} WHERE id = ?`,
        ...columns.map(([, v]) => v),
        at,
        id,
      );
      return changed === 0 ? undefined : server(pool, id);
    },
    async rotateServerToken(id, tokenHash, at) {
      return transaction(pool, async (client) => {
        const row = await get(
          client,
          `SELECT ${SERVER_COLUMNS} FROM servers WHERE id = ? FOR UPDATE`,
          id,
        );
        if (!row) return undefined;
        const current = serverFromRow(row);
        await run(
          client,
          "INSERT INTO retired_tokens (token_hash, server_id, retired_at) VALUES (?, ?, ?)",
          current.tokenHash,
          id,
          at,
        );
        await run(
          client,
          "UPDATE servers SET token_hash = ?, updated_at = ? WHERE id = ?",
          tokenHash,
          at,
          id,
        );
        return server(client, id);
      });
    },
    async findByTokenHash(tokenHash) {
      const row = await get(
        pool,
        `SELECT ${SERVER_COLUMNS} FROM servers WHERE token_hash = ?`,
        tokenHash,
      );
      if (row) return { server: serverFromRow(row), state: "current", tokenHash };
      const retired = await get(
        pool,
        "SELECT server_id FROM retired_tokens WHERE token_hash = ?",
        tokenHash,
      );
      const owner = retired ? await server(pool, String(retired.server_id)) : undefined;
      return owner ? { server: owner, state: "rotated", tokenHash } : undefined;
    },

    async createApiToken(t) {
      await run(
        pool,
        "INSERT INTO api_tokens (id, account_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        t.id,
        t.accountId,
        t.name,
        t.tokenHash,
        t.createdAt,
      );
    },
    async listApiTokens(accountId) {
      return (
        await all(
          pool,
          "SELECT * FROM api_tokens WHERE account_id = ? ORDER BY created_at, id",
          accountId,
        )
      ).map(apiTokenFromRow);
    },
    async findApiToken(tokenHash) {
      const row = await get(pool, "SELECT * FROM api_tokens WHERE token_hash = ?", tokenHash);
      return row ? apiTokenFromRow(row) : undefined;
    },
    async deleteApiToken(id) {
      return (await run(pool, "DELETE FROM api_tokens WHERE id = ?", id)) > 0;
    },

    async recordCalls(entries) {
      // One statement per chunk of rows; a batch larger than a chunk goes in one transaction.
      const chunks: AuditEntry[][] = [];
      for (let i = 0; i < entries.length; i += AUDIT_ROWS_PER_STATEMENT)
        chunks.push(entries.slice(i, i + AUDIT_ROWS_PER_STATEMENT));
      const insert = (client: Queryable, chunk: AuditEntry[]) =>
        run(client, auditInsertRows(chunk.length), ...chunk.flatMap(auditValues));
      if (chunks.length === 1) await insert(pool, chunks[0]!);
      else if (chunks.length > 1)
        await transaction(pool, async (client) => {
          for (const chunk of chunks) await insert(client, chunk);
        });
    },
    async listCalls(q) {
      const { clause, params } = callFilter(q);
      const rows = await all(
        pool,
        `SELECT * FROM audit ${clause} ORDER BY seq DESC LIMIT ?`,
        ...params,
        q.limit,
      );
      return rows.map(auditFromRow);
    },

    async pruneCalls(before) {
      return run(pool, "DELETE FROM audit WHERE at < ?", before);
    },
    async take(counters) {
      // One statement adds every amount, locking rows in key order (no deadlock between two
      // requests on the same counters). If a counter went over its limit, the same statement
      // takes the amounts back: a refused request consumes nothing, and no request is ever
      // admitted over a limit (one near the limit may be refused while another's refusal is
      // being undone, never the reverse).
      const sorted = [...counters].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const add = async (sign: 1 | -1) => {
        const rows = await all(
          pool,
          `INSERT INTO rate_counters (key, window_start, count)
           SELECT k, w, a FROM unnest(?::text[], ?::bigint[], ?::int[]) WITH ORDINALITY AS t(k, w, a, n) ORDER BY n
           ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + excluded.count
           RETURNING key, window_start, count`,
          sorted.map((c) => c.key),
          sorted.map((c) => c.windowStart),
          sorted.map((c) => sign * c.amount),
        );
        const after = new Map(
          rows.map((r) => [`${String(r.key)}@${String(r.window_start)}`, Number(r.count)]),
        );
        return counters.map((c) => after.get(`${c.key}@${c.windowStart}`) ?? 0);
      };
      const counts = await add(1);
      const granted = counters.every((c, i) => c.amount === 0 || counts[i]! <= c.limit);
      if (granted) return { granted, counts };
      await add(-1);
      return { granted, counts: counts.map((n, i) => n - counters[i]!.amount) };
    },
    async pruneCounters(windowStart) {
      await run(pool, "DELETE FROM rate_counters WHERE window_start < ?", windowStart);
    },

    async ping() {
      await all(pool, "SELECT 1");
    },

    async close() {
      await pool.end();
    },
  };
}

// Connection failures and server shutdowns (SQLSTATE class 08, 57P0x), not query errors.
function unreachable(error: unknown): boolean {
  const code = String((error as { code?: unknown }).code ?? "");
  const message = String((error as { message?: unknown }).message ?? "");
  return (
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EPIPE|08\w{3}|57P0\d)$/.test(code) ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(message)
  );
}

async function transaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => {
    throw unreachable(error) ? DatabaseUnavailableError.unreachable() : error;
  });
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
