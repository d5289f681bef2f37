import type { EmulatorContext } from "../context.js";
import type { OperationHandlers } from "../http/operation.js";
import { CATALOG_HANDLERS, registerCatalogListeners } from "./catalog.js";
import { USAGE_BILLING_HANDLERS, registerUsageBillingListeners } from "./usage-billing.js";

/** Every implemented operation, by operationId; the rest of the document answers 501. */
export const HANDLERS: OperationHandlers = {
  ...CATALOG_HANDLERS,
  ...USAGE_BILLING_HANDLERS,
};

/** Connects resources that react to each other's changes (grants → keys, credits …). */
export function registerListeners(ctx: EmulatorContext): void {
  registerCatalogListeners(ctx);
  registerUsageBillingListeners(ctx);
}
