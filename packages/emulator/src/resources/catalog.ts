import type { EmulatorContext } from "../context.js";
import type { OperationHandlers } from "../http/operation.js";
import { registerLicenseKeyListeners } from "./license-keys/issue.js";
import { benefitHandlers } from "./benefits/routes.js";
import { customerHandlers } from "./customers/routes.js";
import { licenseKeyHandlers } from "./license-keys/routes.js";
import { organizationHandlers } from "./organizations/routes.js";
import { productHandlers } from "./products/routes.js";
import { registerLegacyFields } from "./legacy-fields.js";

/** Organizations, products, benefits, grants, customers, license keys (Emulator I). */
export const CATALOG_HANDLERS: OperationHandlers = {
  ...organizationHandlers,
  ...customerHandlers,
  ...benefitHandlers,
  ...licenseKeyHandlers,
  ...productHandlers,
};

export function registerCatalogListeners(ctx: EmulatorContext): void {
  registerLicenseKeyListeners(ctx);
  registerLegacyFields(ctx);
}
