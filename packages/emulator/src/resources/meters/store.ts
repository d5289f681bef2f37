import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import type { Aggregation } from "./aggregation.js";
import { compileFilter, type EventPredicate, type Filter } from "./filter.js";

/** A meter as stored: the fields of Polar's `Meter` schema. */
export interface MeterRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  name: string;
  unit: "scalar" | "token" | "custom";
  custom_label: string | null;
  custom_multiplier: number | null;
  filter: Filter;
  aggregation: Aggregation;
  metadata: Record<string, string | number | boolean>;
  archived_at: string | null;
  [key: string]: unknown;
}

/** A meter ready to match events: its filter compiled once. */
export interface ActiveMeter {
  record: MeterRecord;
  matches: EventPredicate;
}

export const meters = (ctx: EmulatorContext): Collection<MeterRecord> =>
  ctx.store.collection<MeterRecord>("meters");

const ACTIVE = new WeakMap<EmulatorContext, Map<string, ActiveMeter[]>>();

/** The organization's non-archived meters, compiled; cached until a meter changes. */
export function activeMeters(ctx: EmulatorContext, organizationId: string): ActiveMeter[] {
  let byOrg = ACTIVE.get(ctx);
  if (!byOrg) {
    byOrg = new Map();
    ACTIVE.set(ctx, byOrg);
  }
  let list = byOrg.get(organizationId);
  if (!list) {
    list = meters(ctx)
      .byOrganization(organizationId)
      .filter((m) => m.archived_at === null)
      .map((record) => ({ record, matches: compileFilter(record.filter) }));
    byOrg.set(organizationId, list);
  }
  return list;
}

/** Forgets compiled meters (after a create, update, archive or reset). */
export function invalidateActiveMeters(ctx: EmulatorContext): void {
  ACTIVE.delete(ctx);
}

/** A meter of the organization, archived or not. */
export function findMeter(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): MeterRecord | undefined {
  const record = meters(ctx).get(id);
  return record && record.organization_id === organizationId ? record : undefined;
}
