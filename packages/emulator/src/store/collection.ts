import type { Statement } from "better-sqlite3";
import type { Sqlite } from "./database.js";

/** Every stored resource has an id and (for most) an owning organization. */
export interface StoredDocument {
  id: string;
  organization_id?: string | null;
}

export interface CollectionOptions {
  /** Top-level fields looked up by value often enough to deserve an index. */
  indexes?: readonly string[];
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * A collection of JSON documents in one SQLite table, in insertion order. Small and
 * synchronous: a handler's read-check-write runs without yielding, so concurrent requests
 * can never interleave inside it.
 *
 * The collection name is part of each statement's text (it is checked against NAME), not a
 * parameter: that lets SQLite use the per-collection partial indexes on JSON fields, and a
 * write only maintains the indexes of its own collection instead of evaluating every
 * collection's `json_extract` on the old and new row.
 */
export class Collection<T extends StoredDocument> {
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly getStmt;
  private readonly deleteStmt;
  private readonly byOrgStmt;
  private readonly allStmt;
  private readonly findStmts = new Map<string, Statement>();
  private writes = 0;

  constructor(
    db: Sqlite,
    readonly name: string,
    options: CollectionOptions = {},
  ) {
    if (!NAME.test(name)) throw new Error(`bad collection name ${name}`);
    const where = `collection = '${name}'`;
    this.insertStmt = db.prepare(
      `INSERT INTO documents (collection, id, organization_id, seq, data)
       VALUES ('${name}', ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM documents WHERE ${where}), ?)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE documents SET data = ?, organization_id = ? WHERE ${where} AND id = ?`,
    );
    this.getStmt = db.prepare(`SELECT data FROM documents WHERE ${where} AND id = ?`).pluck();
    this.deleteStmt = db.prepare(`DELETE FROM documents WHERE ${where} AND id = ?`);
    this.byOrgStmt = db
      .prepare(`SELECT data FROM documents WHERE ${where} AND organization_id = ? ORDER BY seq`)
      .pluck();
    this.allStmt = db.prepare(`SELECT data FROM documents WHERE ${where} ORDER BY seq`).pluck();
    for (const field of options.indexes ?? []) {
      if (!NAME.test(field)) throw new Error(`bad index field ${field}`);
      const value = `json_extract(data, '$.${field}')`;
      // Databases written before partial indexes carry a full index under the old name.
      db.exec(`DROP INDEX IF EXISTS documents_${name}_${field}`);
      db.exec(
        `CREATE INDEX IF NOT EXISTS documents_${name}_${field}_only
         ON documents (${value}) WHERE ${where}`,
      );
      this.findStmts.set(
        field,
        db
          .prepare(`SELECT data FROM documents WHERE ${where} AND ${value} = ? ORDER BY seq`)
          .pluck(),
      );
    }
  }

  /** Counts writes, so in-memory caches over this collection know when to refresh. */
  get version(): number {
    return this.writes;
  }

  /** Marks every cache over this collection stale (the store's reset empties it by SQL). */
  invalidate(): void {
    this.writes++;
  }

  insert(doc: T): T {
    this.writes++;
    this.insertStmt.run(doc.id, doc.organization_id ?? null, JSON.stringify(doc));
    return doc;
  }

  /** Replaces a stored document (same id). */
  put(doc: T): T {
    this.writes++;
    this.updateStmt.run(JSON.stringify(doc), doc.organization_id ?? null, doc.id);
    return doc;
  }

  get(id: string): T | undefined {
    const data = this.getStmt.get(id) as string | undefined;
    return data === undefined ? undefined : (JSON.parse(data) as T);
  }

  delete(id: string): void {
    this.writes++;
    this.deleteStmt.run(id);
  }

  /** All documents of one organization, oldest first. */
  byOrganization(organizationId: string): T[] {
    return parseAll<T>(this.byOrgStmt.all(organizationId));
  }

  all(): T[] {
    return parseAll<T>(this.allStmt.all());
  }

  /** Documents whose indexed top-level `field` equals `value`, oldest first. */
  findBy(field: string, value: string | number): T[] {
    const stmt = this.findStmts.get(field);
    if (!stmt) throw new Error(`${this.name}.${field} is not indexed`);
    return parseAll<T>(stmt.all(value));
  }
}

const parseAll = <T>(rows: unknown[]): T[] => rows.map((data) => JSON.parse(data as string) as T);
