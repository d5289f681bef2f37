import Database from "better-sqlite3";

export type Sqlite = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS documents (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT,
  seq INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (collection, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_by_org ON documents (collection, organization_id, seq);
CREATE INDEX IF NOT EXISTS documents_by_seq ON documents (collection, seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * Opens the emulator's SQLite database (a file, or `:memory:`). Files use WAL so a crash
 * loses nothing that was acknowledged.
 */
export function openDatabase(path: string): Sqlite {
  const db = new Database(path);
  if (path !== ":memory:") {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
  }
  db.pragma("foreign_keys = ON");
  db.exec(SCHEMA);
  return db;
}
