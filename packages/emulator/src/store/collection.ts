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

const FIELD = /^[a-z_][a-z0-9_]*$/;

/**
 * A collection of JSON documents in one SQLite table, in insertion order. Small and
 * synchronous: a handler's read-check-write runs without yielding, so concurrent requests
 * can never interleave inside it.
 */
export class Collection<T extends StoredDocument> {
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly getStmt;
  private readonly deleteStmt;
  private readonly byOrgStmt;
  private readonly allStmt;
  private readonly findStmts = new Map<string, Statement>();

  constructor(
    private readonly db: Sqlite,
    readonly name: string,
    options: CollectionOptions = {},
  ) {
    this.insertStmt = db.prepare(
      `INSERT INTO documents (collection, id, organization_id, seq, data)
       VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM documents WHERE collection = ?), ?)`,
    );
    this.updateStmt = db.prepare(
      "UPDATE documents SET data = ?, organization_id = ? WHERE collection = ? AND id = ?",
    );
    this.getStmt = db.prepare("SELECT data FROM documents WHERE collection = ? AND id = ?");
    this.deleteStmt = db.prepare("DELETE FROM documents WHERE collection = ? AND id = ?");
    this.byOrgStmt = db.prepare(
      "SELECT data FROM documents WHERE collection = ? AND organization_id = ? ORDER BY seq",
    );
    this.allStmt = db.prepare("SELECT data FROM documents WHERE collection = ? ORDER BY seq");
    for (const field of options.indexes ?? []) {
      if (!FIELD.test(field)) throw new Error(`bad index field ${field}`);
      db.exec(
        `CREATE INDEX IF NOT EXISTS documents_${name}_${field}
         ON documents (collection, json_extract(data, '$.${field}'))`,
      );
      this.findStmts.set(
        field,
        db.prepare(
          `SELECT data FROM documents WHERE collection = ? AND json_extract(data, '$.${field}') = ? ORDER BY seq`,
        ),
      );
    }
  }

  insert(doc: T): T {
    this.insertStmt.run(
      this.name,
      doc.id,
      doc.organization_id ?? null,
      this.name,
      JSON.stringify(doc),
    );
    return doc;
  }

  /** Replaces a stored document (same id). */
  put(doc: T): T {
    this.updateStmt.run(JSON.stringify(doc), doc.organization_id ?? null, this.name, doc.id);
    return doc;
  }

  get(id: string): T | undefined {
    const row = this.getStmt.get(this.name, id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as T) : undefined;
  }

  delete(id: string): void {
    this.deleteStmt.run(this.name, id);
  }

  /** All documents of one organization, oldest first. */
  byOrganization(organizationId: string): T[] {
    return (this.byOrgStmt.all(this.name, organizationId) as { data: string }[]).map(
      (row) => JSON.parse(row.data) as T,
    );
  }

  all(): T[] {
    return (this.allStmt.all(this.name) as { data: string }[]).map(
      (row) => JSON.parse(row.data) as T,
    );
  }

  /** Documents whose indexed top-level `field` equals `value`, oldest first. */
  findBy(field: string, value: string | number): T[] {
    const stmt = this.findStmts.get(field);
    if (!stmt) throw new Error(`${this.name}.${field} is not indexed`);
    return (stmt.all(this.name, value) as { data: string }[]).map(
      (row) => JSON.parse(row.data) as T,
    );
  }
}
