import type { Statement } from "better-sqlite3";
import type { EmulatorContext } from "../../context.js";
import type { Sqlite } from "../../store/database.js";
import type { EventRow } from "./table.js";
import { usageTables } from "./table.js";

/**
 * Children that arrived before their parent, as Polar since 2026-04: such an event is
 * accepted with `parent_id` null and its reference kept (Polar's `pending_parent_external_id`);
 * when an event whose external id or Polar id matches arrives later, the child is linked to
 * it. Kept in a side table so ingestion's insert stays one statement per 50 rows.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS pending_event_parents (
  event_seq INTEGER PRIMARY KEY,
  organization_id TEXT NOT NULL,
  ref TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_event_parents_by_ref
  ON pending_event_parents (organization_id, ref);
`;

class PendingParents {
  private readonly add: Statement;
  private readonly any: Statement;
  private readonly children: Statement;
  private readonly link: Statement;
  private readonly drop: Statement;

  constructor(private readonly db: Sqlite) {
    db.exec(SCHEMA);
    this.add = db.prepare(
      "INSERT OR REPLACE INTO pending_event_parents (event_seq, organization_id, ref) VALUES (?, ?, ?)",
    );
    this.any = db.prepare("SELECT 1 FROM pending_event_parents WHERE organization_id = ? LIMIT 1");
    this.children = db.prepare(
      "SELECT event_seq FROM pending_event_parents WHERE organization_id = ? AND ref = ?",
    );
    this.link = db.prepare("UPDATE usage_events SET parent_id = ? WHERE seq = ?");
    this.drop = db.prepare("DELETE FROM pending_event_parents WHERE event_seq = ?");
  }

  /** Remembers that the event `seq` names a parent `ref` not known yet. */
  remember(seq: number, organizationId: string, ref: string): void {
    this.add.run(seq, organizationId, ref);
  }

  /**
   * Links the children waiting for any of the inserted `rows`, by the parent's
   * external id or its Polar id. Returns how many were linked.
   */
  resolve(organizationId: string, rows: readonly EventRow[], inserted: readonly boolean[]): number {
    if (rows.length === 0 || this.any.get(organizationId) === undefined) return 0;
    let linked = 0;
    for (let i = 0; i < rows.length; i++) {
      if (!inserted[i]) continue;
      const parent = rows[i] as EventRow;
      const refs = parent.external_id ? [parent.external_id, parent.id] : [parent.id];
      for (const ref of refs) {
        for (const { event_seq } of this.children.all(organizationId, ref) as {
          event_seq: number;
        }[]) {
          if (event_seq === parent.seq) continue;
          this.link.run(parent.id, event_seq);
          this.drop.run(event_seq);
          linked++;
        }
      }
    }
    return linked;
  }

  clear(): void {
    this.db.exec("DELETE FROM pending_event_parents");
  }
}

const TABLES = new WeakMap<Sqlite, PendingParents>();

/** The pending-parent table of this emulator's database (created on first use). */
export function pendingParents(ctx: EmulatorContext): PendingParents {
  let table = TABLES.get(ctx.store.db);
  if (!table) {
    usageTables(ctx);
    table = new PendingParents(ctx.store.db);
    TABLES.set(ctx.store.db, table);
  }
  return table;
}
