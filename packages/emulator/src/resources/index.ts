import type { Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import type { OperationHandlers } from "../http/operation.js";
import { CATALOG_HANDLERS, registerCatalogListeners } from "./catalog.js";
import { COMMERCE_HANDLERS, registerCommerceListeners, registerCommercePages } from "./commerce.js";
import { fileHandlers, registerFileListeners, registerFilePages } from "./files/routes.js";
import { customerExportHandlers } from "./customers-export.js";
import { disputeHandlers, registerDisputeControl } from "./disputes/routes.js";
import { draftOrderHandlers } from "./draft-orders/routes.js";
import { memberHandlers } from "./members/routes.js";
import { metricsHandlers } from "./metrics/routes.js";
import { oauth2Handlers, registerOAuth2Pages } from "./oauth2/routes.js";
import { organizationCreateHandlers } from "./organizations/create.js";
import { paymentRetryHandlers, registerPaymentRetryControl } from "./payment-retry/routes.js";
import { portalAccountHandlers, registerPortalAccountControl } from "./portal-account/routes.js";
import { registerSeatControl, seatHandlers } from "./seats/routes.js";
import { registerWalletControl, walletHandlers } from "./wallets/routes.js";
import { USAGE_BILLING_HANDLERS, registerUsageBillingListeners } from "./usage-billing.js";

/** Every implemented operation, by operationId; the rest of the document answers 501. */
export const HANDLERS: OperationHandlers = {
  ...CATALOG_HANDLERS,
  ...USAGE_BILLING_HANDLERS,
  ...COMMERCE_HANDLERS,
  ...oauth2Handlers,
  ...metricsHandlers,
  ...fileHandlers,
  ...organizationCreateHandlers,
  ...memberHandlers,
  ...draftOrderHandlers,
  ...disputeHandlers,
  ...walletHandlers,
  ...customerExportHandlers,
  ...seatHandlers,
  ...portalAccountHandlers,
  ...paymentRetryHandlers,
};

/** Connects resources that react to each other's changes (grants → keys, credits …). */
export function registerListeners(ctx: EmulatorContext): void {
  registerCatalogListeners(ctx);
  registerUsageBillingListeners(ctx);
  registerCommerceListeners(ctx);
  registerFileListeners(ctx);
}

/** Routes outside the API: hosted pages and their control-plane companions. */
export function registerPages(app: Hono, ctx: EmulatorContext): void {
  registerCommercePages(app, ctx);
  registerOAuth2Pages(app, ctx);
  registerFilePages(app, ctx);
  registerDisputeControl(app, ctx);
  registerWalletControl(app, ctx);
  registerSeatControl(app, ctx);
  registerPortalAccountControl(app, ctx);
  registerPaymentRetryControl(app, ctx);
}
