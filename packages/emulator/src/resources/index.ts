import type { EmulatorContext } from "../context.js";
import type { OperationHandlers } from "../http/operation.js";
import { organizationHandlers } from "./organizations/routes.js";

/**
 * Every implemented operation, by operationId. A resource adds its handlers here; its
 * listeners on the event bus are wired in `registerListeners`.
 */
export const HANDLERS: OperationHandlers = {
  ...organizationHandlers,
};

/** Connects resources that react to each other's changes (grants → keys, credits …). */
export function registerListeners(_ctx: EmulatorContext): void {}
