import { Collection, type CollectionOptions, type StoredDocument } from "./collection.js";
import { openDatabase, type Sqlite } from "./database.js";

/** The emulator's state: named collections in one SQLite database, plus transactions. */
export class Store {
  readonly db: Sqlite;
  private readonly collections = new Map<string, Collection<StoredDocument>>();
  private readonly resetHooks: (() => void)[] = [];
  private readonly peekStmt;
  /** One reusable transaction wrapper: better-sqlite3 builds a new one per `db.transaction()`. */
  private readonly inTransaction: (fn: () => unknown) => unknown;

  constructor(path: string) {
    this.db = openDatabase(path);
    this.peekStmt = this.db
      .prepare("SELECT data FROM documents WHERE collection = ? AND id = ?")
      .pluck();
    this.inTransaction = this.db.transaction((fn: () => unknown) => fn());
  }

  collection<T extends StoredDocument>(name: string, options?: CollectionOptions): Collection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new Collection<StoredDocument>(this.db, name, options);
      this.collections.set(name, collection);
    }
    return collection as unknown as Collection<T>;
  }

  /**
   * Reads one document of any collection without opening it as a `Collection` (whose
   * owner declares its indexes): for cross-resource existence checks.
   */
  peek<T extends StoredDocument>(collection: string, id: string): T | undefined {
    const data = this.peekStmt.get(collection, id) as string | undefined;
    return data === undefined ? undefined : (JSON.parse(data) as T);
  }

  /** Runs `fn` in one SQLite transaction: all of its writes land, or none. */
  transaction<R>(fn: () => R): R {
    return this.inTransaction(fn) as R;
  }

  /** Registers how a resource with its own tables (events, meter links) empties them on reset. */
  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  /** Deletes every document and runs the reset hooks (the control plane's reset). */
  reset(): void {
    this.db.exec("DELETE FROM documents; DELETE FROM meta;");
    for (const collection of this.collections.values()) collection.invalidate();
    for (const hook of this.resetHooks) hook();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
