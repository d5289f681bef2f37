// Seed 001, workflow 3: usage auditing and metered billing. The agent validates the
// user's license key, pushes a metered event of 500 export credits, and reads it back
// through the events list, the meter's quantities and the customer's meter, checking that
// the balance moved by exactly what was ingested (and not again on a retried event).
// Every step is an MCP tool call against the emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectToEmulator, type EmulatorSession, type Page } from "./emulator.js";

interface CustomerMeter {
  id: string;
  customer_id: string;
  meter_id: string;
  credited_units: number;
  consumed_units: number;
  balance: number;
}
interface PolarEvent {
  id: string;
  name: string;
  customer_id: string | null;
  external_customer_id: string | null;
  customer: { id: string; external_id: string | null } | null;
  metadata: Record<string, unknown>;
}

const CREDITED = 2_000;
const EXPORT_CREDITS = 500;

describe("workflow: usage audit with license validation and a metered event (emulator)", () => {
  let s: EmulatorSession;
  let meterId: string;
  let eventExternalId: string;
  let before: CustomerMeter;
  let demoMeterBefore: CustomerMeter;

  beforeAll(async () => {
    // Reads balances right after ingesting: instant, not Polar's debounced recompute.
    s = await connectToEmulator({}, { instantBalances: true });
    // Set-up through MCP as an admin agent would: an "exports" meter summing
    // metadata.credits and a meter_credit benefit on it; the control plane grants it.
    const meter = await s.ok<{ id: string }>("meters_create", {
      name: "exports",
      filter: {
        conjunction: "and",
        clauses: [{ property: "name", operator: "eq", value: "bulk_export" }],
      },
      aggregation: { func: "sum", property: "metadata.credits" },
    });
    meterId = meter.id;
    const benefit = await s.ok<{ id: string }>("benefits_create", {
      type: "meter_credit",
      description: "2,000 export credits",
      properties: { units: CREDITED, rollover: false, meter_id: meterId },
    });
    await s.control("benefit-grants", { customer_id: s.seed.customerId, benefit_id: benefit.id });
    eventExternalId = `export-job-${meterId.slice(0, 8)}`;
  });
  afterAll(() => s.close());

  it("validates the user's license key and identifies the customer", async () => {
    const key = await s.ok<{ status: string; customer_id: string; validations: number }>(
      "license_keys_validate",
      { key: s.seed.licenseKey, organization_id: s.seed.organizationId },
    );
    expect(key.status).toBe("granted");
    expect(key.customer_id).toBe(s.seed.customerId);
    const again = await s.ok<{ validations: number }>("license_keys_validate", {
      key: s.seed.licenseKey,
      organization_id: s.seed.organizationId,
    });
    expect(again.validations).toBe(key.validations + 1);
  });

  it("reads the quota before the job: credited, nothing consumed", async () => {
    const meters = await s.ok<Page<CustomerMeter>>("customer_meters_list", {
      customer_id: s.seed.customerId,
      meter_id: meterId,
    });
    expect(meters.items).toHaveLength(1);
    before = meters.items[0] as CustomerMeter;
    expect(before).toMatchObject({
      customer_id: s.seed.customerId,
      meter_id: meterId,
      credited_units: CREDITED,
      consumed_units: 0,
      balance: CREDITED,
    });
    const demo = await s.ok<Page<CustomerMeter>>("customer_meters_list", {
      external_customer_id: s.seed.externalCustomerId,
      meter_id: s.seed.meterId,
    });
    expect(demo.items).toHaveLength(1);
    demoMeterBefore = demo.items[0] as CustomerMeter;
  });

  it("ingests the metered event for the external customer id; a retry is de-duplicated", async () => {
    const event = {
      name: "bulk_export",
      external_customer_id: s.seed.externalCustomerId,
      external_id: eventExternalId,
      metadata: { credits: EXPORT_CREDITS, job: "bulk-data-export" },
    };
    const first = await s.ok("events_ingest", { events: [event] });
    expect(first).toEqual({ inserted: 1, duplicates: 0 });
    const retry = await s.ok("events_ingest", { events: [event] });
    expect(retry).toEqual({ inserted: 0, duplicates: 1 });
  });

  it("reads the event back from the events list and by id", async () => {
    const listed = await s.ok<Page<PolarEvent>>("events_list", {
      customer_id: s.seed.customerId,
      name: "bulk_export",
    });
    expect(listed.items).toHaveLength(1);
    const event = listed.items[0] as PolarEvent;
    // As sent: by external id (Polar resolves the customer, and shows it, on read).
    expect(event).toMatchObject({
      name: "bulk_export",
      customer_id: null,
      customer: { id: s.seed.customerId, external_id: s.seed.externalCustomerId },
      external_customer_id: s.seed.externalCustomerId,
      metadata: { credits: EXPORT_CREDITS, job: "bulk-data-export" },
    });
    const byMeter = await s.ok<Page<PolarEvent>>("events_list", { meter_id: meterId });
    expect(byMeter.items.map((e) => e.id)).toEqual([event.id]);
    const got = await s.ok<PolarEvent>("events_get", { id: event.id });
    expect(got).toEqual(event);
  });

  it("sees exactly the ingested credits in the meter's quantities", async () => {
    const now = s.emulator.clock.now().getTime();
    const day = 24 * 60 * 60 * 1000;
    const quantities = await s.ok<{ total: number; quantities: { quantity: number }[] }>(
      "meters_quantities",
      {
        id: meterId,
        start_timestamp: new Date(now - day).toISOString(),
        end_timestamp: new Date(now + day).toISOString(),
        interval: "day",
        customer_id: s.seed.customerId,
      },
    );
    expect(quantities.total).toBe(EXPORT_CREDITS);
    expect(quantities.quantities.reduce((sum, q) => sum + q.quantity, 0)).toBe(EXPORT_CREDITS);
  });

  it("sees the balance decreased by exactly the ingested credits", async () => {
    const after = await s.ok<CustomerMeter>("customer_meters_get", { id: before.id });
    expect(after.consumed_units).toBe(before.consumed_units + EXPORT_CREDITS);
    expect(after.credited_units).toBe(before.credited_units);
    expect(after.balance).toBe(before.balance - EXPORT_CREDITS);

    const state = await s.ok<{
      id: string;
      active_meters: { meter_id: string; balance: number; consumed_units: number }[];
    }>("customers_get_state_external", { external_id: s.seed.externalCustomerId });
    expect(state.id).toBe(s.seed.customerId);
    expect(state.active_meters.find((m) => m.meter_id === meterId)).toMatchObject({
      consumed_units: EXPORT_CREDITS,
      balance: CREDITED - EXPORT_CREDITS,
    });
    // The demo's own tool_call meter is untouched by an export.
    expect(state.active_meters.find((m) => m.meter_id === s.seed.meterId)).toMatchObject({
      consumed_units: demoMeterBefore.consumed_units,
      balance: demoMeterBefore.balance,
    });
  });
});
