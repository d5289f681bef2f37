import type { EmulatorContext } from "../../context.js";
import type { Principal } from "../../http/auth.js";
import { validationError, type ValidationIssue } from "../../http/errors.js";
import { scheduleRecompute } from "../customer-meters/debounce.js";
import { collectMeterLinks } from "../meters/matching.js";
import { activeMeters } from "../meters/store.js";
import { organizationOf } from "../scope.js";
import { normalizeCost } from "./cost.js";
import { customerById } from "./customers.js";
import { pendingParents } from "./pending-parents.js";
import {
  eventIdOf,
  refOfCustomerId,
  refOfExternalId,
  usageTables,
  type EventRow,
  type MeterLink,
} from "./table.js";

/** One event of an ingest body, as validated against EventCreateCustomer | EventCreateExternalCustomer. */
export interface EventCreate {
  name: string;
  timestamp?: string;
  organization_id?: string | null;
  external_id?: string | null;
  parent_id?: string | null;
  metadata?: Record<string, unknown>;
  customer_id?: string;
  member_id?: string | null;
  external_customer_id?: string;
  external_member_id?: string | null;
}

export interface IngestResult {
  inserted: number;
  duplicates: number;
}

const PAST_ONLY = "Value error, Timestamp must be in the past.";

/**
 * Ingests a batch as Polar does: every event is checked first and any invalid event rejects
 * the whole batch (422, each issue located at `["body", "events", i, …]`); then events are
 * inserted in one transaction, an `external_id` already known to the organization counting
 * as a duplicate instead of an insert, and each new event is linked to the meters it
 * matches, so balances are current as soon as the call returns (Polar recomputes them in a
 * debounced job; the emulator needs no delay).
 */
export function ingestEvents(
  ctx: EmulatorContext,
  principal: Principal,
  events: readonly EventCreate[],
): IngestResult {
  const organizationId = organizationOf(principal);
  const now = ctx.clock.now().getTime();
  const tables = usageTables(ctx);
  const issues: ValidationIssue[] = [];
  const knownCustomers = new Map<string, boolean>();
  const batchExternalIds = new Map<string, string>();
  const rows: EventRow[] = new Array<EventRow>(events.length);
  const firstSeq = tables.nextSeq();

  for (let i = 0; i < events.length; i++) {
    const event = events[i] as EventCreate;
    if (event.organization_id !== undefined && event.organization_id !== null) {
      issues.push({
        type: "value_error",
        loc: ["body", "events", i, "organization_id"],
        msg: "Setting organization_id is disallowed when using an organization token.",
        input: event.organization_id,
      });
    }
    let timestamp = now;
    if (event.timestamp !== undefined) {
      timestamp = Date.parse(event.timestamp);
      if (timestamp > now) {
        issues.push({
          type: "value_error",
          loc: ["body", "events", i, "timestamp"],
          msg: PAST_ONLY,
          input: event.timestamp,
        });
      }
    }
    const customerId = event.customer_id ?? null;
    if (customerId !== null) {
      let known = knownCustomers.get(customerId);
      if (known === undefined) {
        known = customerById(ctx, organizationId, customerId) !== undefined;
        knownCustomers.set(customerId, known);
      }
      if (!known) {
        issues.push({
          type: "value_error",
          loc: ["body", "events", i, "customer_id"],
          msg: "Customer not found.",
          input: customerId,
        });
      }
    }
    const externalCustomerId = customerId === null ? (event.external_customer_id ?? null) : null;
    const seq = firstSeq + i;
    const id = eventIdOf(seq);
    const externalId = event.external_id ?? null;
    if (externalId !== null && !batchExternalIds.has(externalId))
      batchExternalIds.set(externalId, id);
    rows[i] = {
      seq,
      id,
      organization_id: organizationId,
      name: event.name,
      source: "user",
      timestamp,
      ingested_at: now,
      customer_id: customerId,
      external_customer_id: externalCustomerId,
      customer_ref:
        customerId !== null
          ? refOfCustomerId(customerId)
          : externalCustomerId !== null
            ? refOfExternalId(externalCustomerId)
            : null,
      member_id: event.member_id ?? null,
      external_member_id: event.external_member_id ?? null,
      external_id: externalId,
      parent_id: event.parent_id ?? null,
      metadata: event.metadata ? JSON.stringify(normalizeCost(event.metadata)) : "{}",
    };
  }

  // A parent is named by its Polar id or by its external id, possibly elsewhere in this batch.
  let pending: Map<number, string> | undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as EventRow;
    if (row.parent_id === null) continue;
    const stored = tables.eventIdByExternalId.get(organizationId, row.parent_id) as
      { id: string } | undefined;
    const byId = tables.eventById(row.parent_id);
    const parent =
      stored?.id ??
      batchExternalIds.get(row.parent_id) ??
      (byId?.organization_id === organizationId ? row.parent_id : undefined);
    if (parent === undefined) {
      // Not arrived yet: accepted, linked when it does (Polar's pending parent).
      (pending ??= new Map()).set(i, row.parent_id);
      row.parent_id = null;
    } else row.parent_id = parent;
  }
  if (issues.length > 0) throw validationError(issues);

  const meters = activeMeters(ctx, organizationId);
  return ctx.store.transaction(() => {
    const inserted = tables.insertAll(rows);
    let count = 0;
    const links: MeterLink[] = [];
    for (let i = 0; i < rows.length; i++) {
      if (!inserted[i]) continue;
      count++;
      if (meters.length === 0) continue;
      const row = rows[i] as EventRow;
      collectMeterLinks(
        meters,
        row.seq,
        row.customer_ref,
        {
          name: row.name,
          source: "user",
          timestamp: row.timestamp,
          metadata: (events[i] as EventCreate).metadata ?? {},
        },
        links,
      );
    }
    tables.insertLinks(links);
    const waiting = pendingParents(ctx);
    if (pending) {
      for (const [i, ref] of pending) {
        if (inserted[i]) waiting.remember((rows[i] as EventRow).seq, organizationId, ref);
      }
    }
    waiting.resolve(organizationId, rows, inserted);
    scheduleRecompute(ctx, organizationId, rows, inserted);
    return { inserted: count, duplicates: rows.length - count };
  });
}
