import type { EmulatorContext } from "../context.js";
import type { OperationHandlers } from "../http/operation.js";

/** Events, meters, customer meters and credits, customer state (Emulator II). */
export const USAGE_BILLING_HANDLERS: OperationHandlers = {};

export function registerUsageBillingListeners(_ctx: EmulatorContext): void {}
