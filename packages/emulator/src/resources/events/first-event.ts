import type { Statement } from "better-sqlite3";
import type { EmulatorContext } from "../../context.js";
import type { Sqlite } from "../../store/database.js";
import { refOfCustomerId, refOfExternalId, usageTables } from "./table.js";

const STATEMENTS = new WeakMap<Sqlite, Statement>();

/**
 * A customer's `first_user_event_at`: the timestamp of the earliest user event ingested for
 * it, by its id or its external id (so it can predate `created_at`), null without one. Polar
 * keeps it up to date in a job after each ingestion and when an external id is set; read
 * here from the events themselves (one indexed lookup).
 */
export function firstUserEventAt(
  ctx: EmulatorContext,
  customer: { id: string; organization_id: string; external_id?: string | null },
): string | null {
  let statement = STATEMENTS.get(ctx.store.db);
  if (!statement) {
    usageTables(ctx);
    statement = ctx.store.db.prepare(
      `SELECT MIN(timestamp) AS first FROM usage_events
       WHERE organization_id = ? AND customer_ref IN (?, ?) AND source = 'user'`,
    );
    STATEMENTS.set(ctx.store.db, statement);
  }
  const row = statement.get(
    customer.organization_id,
    refOfCustomerId(customer.id),
    customer.external_id ? refOfExternalId(customer.external_id) : null,
  ) as { first: number | null };
  return row.first === null ? null : new Date(row.first).toISOString();
}
