import type { EmulatorContext } from "../../context.js";
import {
  eventIdOf,
  METER_EVENT_KIND,
  refOfCustomerId,
  usageTables,
  type EventRow,
} from "./table.js";

/** System events usage billing records, with their metadata as Polar's schemas define it. */
export type SystemEventInput =
  | { name: "meter.credited"; metadata: { meter_id: string; units: number; rollover: boolean } }
  | { name: "meter.reset"; metadata: { meter_id: string } }
  | {
      name: "benefit.granted" | "benefit.revoked" | "benefit.cycled" | "benefit.updated";
      metadata: { benefit_id: string; benefit_grant_id: string; benefit_type: string };
    };

/**
 * Records a system event (`source: "system"`) for a customer, as Polar does when it grants,
 * revokes or credits. `meter.credited` and `meter.reset` are also linked to their meter:
 * they move the customer's credited units and consumption window.
 */
export function recordSystemEvent(
  ctx: EmulatorContext,
  organizationId: string,
  customerId: string,
  input: SystemEventInput,
): EventRow {
  const tables = usageTables(ctx);
  const now = ctx.clock.now().getTime();
  const seq = tables.nextSeq();
  const row = {
    seq,
    id: eventIdOf(seq),
    organization_id: organizationId,
    name: input.name,
    source: "system" as const,
    timestamp: now,
    ingested_at: now,
    customer_id: customerId,
    external_customer_id: null,
    customer_ref: refOfCustomerId(customerId),
    member_id: null,
    external_member_id: null,
    external_id: null,
    parent_id: null,
    metadata: JSON.stringify(input.metadata),
  };
  tables.insert(row);
  if (input.name === "meter.credited" || input.name === "meter.reset") {
    const kind = input.name === "meter.credited" ? METER_EVENT_KIND.credit : METER_EVENT_KIND.reset;
    const units = input.name === "meter.credited" ? input.metadata.units : null;
    tables.insertMeterEvent.run(input.metadata.meter_id, row.customer_ref, kind, seq, now, units);
  }
  return row;
}
