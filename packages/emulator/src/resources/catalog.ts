import type { EmulatorContext } from "../context.js";
import type { OperationHandlers } from "../http/operation.js";
import { organizationHandlers } from "./organizations/routes.js";

/** Organizations, products, benefits, grants, customers, license keys (Emulator I). */
export const CATALOG_HANDLERS: OperationHandlers = {
  ...organizationHandlers,
};

export function registerCatalogListeners(_ctx: EmulatorContext): void {}
