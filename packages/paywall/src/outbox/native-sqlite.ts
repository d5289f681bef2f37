import { loadOptionalModule } from "../runtime/optional-module.js";

/** The part of better-sqlite3's API the outbox uses (no compile-time dependency on it). */
export interface SqliteStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqliteDatabase {
  readonly open: boolean;
  pragma(source: string): unknown;
  exec(source: string): unknown;
  prepare(source: string): SqliteStatement;
  transaction(fn: () => void): () => void;
  close(): unknown;
}

export type SqliteConstructor = new (path: string) => SqliteDatabase;

/** The optional peer dependency that makes the outbox durable. */
export const SQLITE_PACKAGE = "better-sqlite3";

export type SqliteLoad = { ok: true; Database: SqliteConstructor } | { ok: false; reason: string };

/** better-sqlite3's constructor, when it is installed and its native binding loads. */
export function loadSqlite(): SqliteLoad {
  const loaded = loadOptionalModule(SQLITE_PACKAGE);
  if (!loaded.ok) return loaded;
  const exported = loaded.module as { default?: unknown };
  const Database = exported.default ?? exported;
  if (typeof Database !== "function")
    return { ok: false, reason: `${SQLITE_PACKAGE} did not export a constructor` };
  return { ok: true, Database: Database as SqliteConstructor };
}
