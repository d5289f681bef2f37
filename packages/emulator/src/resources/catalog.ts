import type { EmulatorContext } from "../context.js";
import type { OperationHandlers } from "../http/operation.js";
import { registerLicenseKeyListeners } from "./license-keys/issue.js";
import { licenseKeyHandlers } from "./license-keys/routes.js";
import { organizationHandlers } from "./organizations/routes.js";

/** Organizations, products, benefits, grants, customers, license keys (Emulator I). */
export const CATALOG_HANDLERS: OperationHandlers = {
  ...organizationHandlers,
  ...licenseKeyHandlers,
};

export function registerCatalogListeners(ctx: EmulatorContext): void {
  registerLicenseKeyListeners(ctx);
}
