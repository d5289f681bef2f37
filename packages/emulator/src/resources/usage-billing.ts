import type { EmulatorContext } from "../context.js";
import type { OperationHandlers } from "../http/operation.js";
import { registerCreditListeners } from "./customer-meters/credits.js";
import { recomputeSchedule } from "./customer-meters/debounce.js";
import { customerMeterHandlers } from "./customer-meters/routes.js";
import { customerStateHandlers } from "./customer-state/routes.js";
import { eventHandlers } from "./events/routes.js";
import { pendingParents } from "./events/pending-parents.js";
import { usageTables } from "./events/table.js";
import { meterHandlers } from "./meters/routes.js";
import { invalidateActiveMeters } from "./meters/store.js";

/** Events, meters, customer meters and credits, customer state (Emulator II). */
export const USAGE_BILLING_HANDLERS: OperationHandlers = {
  ...eventHandlers,
  ...meterHandlers,
  ...customerMeterHandlers,
  ...customerStateHandlers,
};

export function registerUsageBillingListeners(ctx: EmulatorContext): void {
  // Created at start so the tables exist before the first request or reset.
  const tables = usageTables(ctx);
  const pending = pendingParents(ctx);
  const schedule = recomputeSchedule(ctx);
  ctx.store.onReset(() => {
    tables.clear();
    pending.clear();
    schedule.clear();
    invalidateActiveMeters(ctx);
  });
  registerCreditListeners(ctx);
}
