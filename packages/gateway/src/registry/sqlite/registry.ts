import Database from "better-sqlite3";
import { statSync } from "node:fs";
import { stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { DatabaseUnavailableError } from "../errors.js";
import {
  accountFromRow,
  apiTokenFromRow,
  AUDIT_INSERT,
  auditFromRow,
  auditValues,
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

/** Options of {@link createSqliteRegistry}. */
export interface SqliteRegistryOptions {
  /**
   * Longest time a request waits for a lock held by another connection, in ms (default
   * 2,000). The wait is asynchronous (short sleeps between attempts), so the event loop,
   * and `/healthz` with it, never waits; past it the request fails with a 503.
   */
  lockWaitMs?: number;
  /** How often the file is checked to still be the one opened, in ms (default 1,000). */
  fileCheckMs?: number;
}

/** Default {@link SqliteRegistryOptions.lockWaitMs}. */
export const DEFAULT_SQLITE_LOCK_WAIT_MS = 2_000;

/**
 * The default registry: one SQLite file (or `:memory:`), WAL mode. better-sqlite3 is
 * synchronous, so SQLite's own busy handler (which sleeps inside the call) is off: a
 * locked database throws at once and the call is retried after an asynchronous sleep,
 * within `lockWaitMs`. A file removed or replaced under the gateway makes every call fail
 * with a 503 (`database_unavailable`) instead of writing to a file nobody will read.
 *
 * @example
 * const registry = createSqliteRegistry(".polar-gateway.sqlite");
 */
export function createSqliteRegistry(file: string, options: SqliteRegistryOptions = {}): Registry {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // In WAL mode NORMAL fsyncs at checkpoints, not at every commit: a crash of the process
  // loses nothing, a power cut may lose the last commits. FULL would fsync three times per
  // tool call (two counters and the audit entry) while blocking the event loop.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 0");
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
  const lockWaitMs = options.lockWaitMs ?? DEFAULT_SQLITE_LOCK_WAIT_MS;
  const onDisk = file !== ":memory:" && file !== "";
  const identity = onDisk ? fileIdentity(statSync(file)) : "";
  let gone = false;
  const checkFile = async (): Promise<void> => {
    if (!onDisk) return;
    gone = await stat(file).then(
      (s) => fileIdentity(s) !== identity,
      () => true,
    );
  };
  const watcher = onDisk
    ? setInterval(() => void checkFile(), options.fileCheckMs ?? 1_000).unref()
    : undefined;

  // Runs one synchronous piece of work; when another connection holds the lock, sleeps
  // (1, 2, 4 … 50 ms) and tries again until lockWaitMs has passed.
  const guarded = async <T>(work: () => T): Promise<T> => {
    if (gone) throw DatabaseUnavailableError.removed();
    const deadline = performance.now() + lockWaitMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
      try {
        return work();
      } catch (error) {
        if (!isLocked(error)) throw error;
        if (performance.now() + delay > deadline) throw DatabaseUnavailableError.locked();
        await sleep(delay);
      }
    }
  };

  const server = (id: string): ServerRecord | undefined => {
    const row = get(`SELECT ${SERVER_COLUMNS} FROM servers WHERE id = ?`, id);
    return row ? serverFromRow(row) : undefined;
  };

  return {
    createAccount: (a) =>
      guarded(() => {
        run(
          "INSERT INTO accounts (id, name, environment, base_url, credential, created_at) VALUES (?, ?, ?, ?, ?, ?)",
          a.id,
          a.name,
          a.environment,
          a.baseUrl,
          a.credentialCiphertext,
          a.createdAt,
        );
      }),
    getAccount: (id) =>
      guarded(() => {
        const row = get("SELECT * FROM accounts WHERE id = ?", id);
        return row ? accountFromRow(row) : undefined;
      }),
    listAccounts: () =>
      guarded(() => {
        return all("SELECT * FROM accounts ORDER BY created_at, id").map(accountFromRow);
      }),
    updateAccountCredential: (id, credential) =>
      guarded(() => run("UPDATE accounts SET credential = ? WHERE id = ?", credential, id) > 0),
    deleteAccount: (id, at) =>
      guarded(() => {
        return db.transaction(() => {
          const removed = run("DELETE FROM accounts WHERE id = ?", id);
          if (removed === 0) return false;
          run("DELETE FROM api_tokens WHERE account_id = ?", id);
          run("UPDATE servers SET status = 'deleted', updated_at = ? WHERE account_id = ?", at, id);
          return true;
        })();
      }),

    createServer: (s) =>
      guarded(() => {
        run(
          `INSERT INTO servers (${SERVER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ...serverValues(s),
        );
      }),
    getServer: (id) =>
      guarded(() => {
        return server(id);
      }),
    listServers: (accountId) =>
      guarded(() => {
        return all(
          `SELECT ${SERVER_COLUMNS} FROM servers WHERE account_id = ? AND status <> 'deleted' ORDER BY created_at, id`,
          accountId,
        ).map(serverFromRow);
      }),
    updateServer: (id, patch, at) =>
      guarded(() => {
        const columns = patchColumns(patch);
        const sets = [...columns.map(([c]) => `${c} = ?`), "updated_at = ?"].join(", ");
        const changed = run(
          `UPDATE servers SET ${sets} WHERE id = ?`,
          ...columns.map(([, v]) => v),
          at,
          id,
        );
        return changed === 0 ? undefined : server(id);
      }),
    rotateServerToken: (id, tokenHash, at) =>
      guarded(() => {
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
      }),
    findByTokenHash: (tokenHash) =>
      guarded(() => {
        const row = get(`SELECT ${SERVER_COLUMNS} FROM servers WHERE token_hash = ?`, tokenHash);
        if (row) return { server: serverFromRow(row), state: "current", tokenHash };
        const retired = get("SELECT server_id FROM retired_tokens WHERE token_hash = ?", tokenHash);
        const owner = retired ? server(String(retired.server_id)) : undefined;
        return owner ? { server: owner, state: "rotated", tokenHash } : undefined;
      }),

    createApiToken: (t) =>
      guarded(() => {
        run(
          "INSERT INTO api_tokens (id, account_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
          t.id,
          t.accountId,
          t.name,
          t.tokenHash,
          t.createdAt,
        );
      }),
    listApiTokens: (accountId) =>
      guarded(() => {
        return all(
          "SELECT * FROM api_tokens WHERE account_id = ? ORDER BY created_at, id",
          accountId,
        ).map(apiTokenFromRow);
      }),
    findApiToken: (tokenHash) =>
      guarded(() => {
        const row = get("SELECT * FROM api_tokens WHERE token_hash = ?", tokenHash);
        return row ? apiTokenFromRow(row) : undefined;
      }),
    deleteApiToken: (id) =>
      guarded(() => {
        return run("DELETE FROM api_tokens WHERE id = ?", id) > 0;
      }),

    recordCalls: (entries) =>
      guarded(() => {
        if (entries.length === 0) return;
        const insert = prepare(AUDIT_INSERT);
        db.transaction(() => {
          for (const e of entries) insert.run(...bind(auditValues(e)));
        })();
      }),
    listCalls: (q) =>
      guarded(() => {
        const { clause, params } = callFilter(q);
        return all(
          `SELECT * FROM audit ${clause} ORDER BY seq DESC LIMIT ?`,
          ...params,
          q.limit,
        ).map(auditFromRow);
      }),

    pruneCalls: (before) => guarded(() => run("DELETE FROM audit WHERE at < ?", before)),
    take: (counters) =>
      guarded(() => {
        // One synchronous transaction: nothing else runs between the reads and the writes.
        return db
          .transaction(() => {
            const current = counters.map(({ key, windowStart }) =>
              Number(
                get(
                  "SELECT count FROM rate_counters WHERE key = ? AND window_start = ?",
                  key,
                  windowStart,
                )?.count ?? 0,
              ),
            );
            const granted = counters.every(
              (c, i) => c.amount === 0 || current[i]! + c.amount <= c.limit,
            );
            if (!granted) return { granted, counts: current };
            const upsert = `INSERT INTO rate_counters (key, window_start, count) VALUES (?, ?, ?)
             ON CONFLICT (key, window_start) DO UPDATE SET count = count + excluded.count`;
            counters.forEach(({ key, windowStart, amount }) => {
              if (amount > 0) run(upsert, key, windowStart, amount);
            });
            return { granted, counts: current.map((n, i) => n + counters[i]!.amount) };
            // IMMEDIATE: take the write lock before reading, so no other writer slips between.
          })
          .immediate();
      }),
    pruneCounters: (windowStart) =>
      guarded(() => {
        run("DELETE FROM rate_counters WHERE window_start < ?", windowStart);
      }),

    ping: async () => {
      // Readiness: the file is the one opened, and a write lock can be taken right now.
      await checkFile();
      if (gone) throw DatabaseUnavailableError.removed();
      try {
        db.exec("BEGIN IMMEDIATE; ROLLBACK");
      } catch (error) {
        throw isLocked(error) ? DatabaseUnavailableError.locked() : error;
      }
    },

    async close() {
      clearInterval(watcher);
      db.close();
    },
  };
}

function fileIdentity(s: { dev: number; ino: number }): string {
  return `${s.dev}:${s.ino}`;
}

// SQLITE_BUSY (another connection holds the lock) and SQLITE_LOCKED (a conflicting lock in
// this connection's shared cache), with their extended codes.
function isLocked(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code);
}
