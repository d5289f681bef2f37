import type { EmulatorContext } from "../../context.js";
import { customerRead } from "../customers/read.js";
import { renderCost } from "./cost.js";
import { customerOfEvent, type CustomerLike } from "./customers.js";
import type { EventRow } from "./table.js";
import { usageTables } from "./table.js";

/** The response schema of each system event usage billing records; user events are `UserEvent`. */
const SYSTEM_SCHEMAS: Record<string, string> = {
  "meter.credited": "MeterCreditEvent",
  "meter.reset": "MeterResetEvent",
  "benefit.granted": "BenefitGrantedEvent",
  "benefit.cycled": "BenefitCycledEvent",
  "benefit.updated": "BenefitUpdatedEvent",
  "benefit.revoked": "BenefitRevokedEvent",
};

/** Human-readable labels of system events; a user event's label is its name. */
export const SYSTEM_LABELS: Record<string, string> = {
  "meter.credited": "Meter credited",
  "meter.reset": "Meter reset",
  "benefit.granted": "Benefit granted",
  "benefit.cycled": "Benefit cycled",
  "benefit.updated": "Benefit updated",
  "benefit.revoked": "Benefit revoked",
};

/**
 * Renders stored events as Polar's `Event` union. The customer is resolved at read time,
 * so an event sent with an external id shows the customer created after it.
 */
export function createEventReader(ctx: EmulatorContext) {
  const customers = new Map<string, CustomerLike | undefined>();
  const childCount = ctx.store.db.prepare(
    "SELECT COUNT(*) AS n FROM usage_events WHERE parent_id = ?",
  );
  const shapeCustomer = (customer: CustomerLike | undefined) =>
    customer ? customerRead(ctx, customer) : null;
  return (row: EventRow): Record<string, unknown> => {
    const key = `${row.customer_id ?? ""}|${row.external_customer_id ?? ""}`;
    if (!customers.has(key)) {
      customers.set(
        key,
        customerOfEvent(ctx, row.organization_id, row.customer_id, row.external_customer_id),
      );
    }
    const schema =
      row.source === "system" ? (SYSTEM_SCHEMAS[row.name] ?? "UserEvent") : "UserEvent";
    const event = {
      id: row.id,
      timestamp: new Date(row.timestamp).toISOString(),
      organization_id: row.organization_id,
      customer_id: row.customer_id,
      customer: shapeCustomer(customers.get(key)),
      external_customer_id: row.external_customer_id,
      member_id: row.member_id,
      external_member_id: row.external_member_id,
      child_count: (childCount.get(row.id) as { n: number }).n,
      parent_id: row.parent_id,
      label: SYSTEM_LABELS[row.name] ?? row.name,
      name: row.name,
      source: row.source,
      metadata: renderCost(JSON.parse(row.metadata)),
    };
    // The metadata schema lists only its structured keys (_llm, _cost); the shaper would
    // drop the rest, so it is passed through as stored.
    return { ...ctx.shaper.shape(schema, event), metadata: event.metadata };
  };
}

/** One event of the organization by id. */
export function findEvent(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): EventRow | undefined {
  const row = usageTables(ctx).eventById(id);
  return row && row.organization_id === organizationId ? row : undefined;
}
