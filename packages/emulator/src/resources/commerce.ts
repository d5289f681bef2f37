import type { Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import type { OperationHandlers } from "../http/operation.js";
import { benefitGrantHandlers } from "./benefit-grants/routes.js";
import { registerClockRoutes } from "./billing-clock/routes.js";
import { checkoutLinkHandlers, registerCheckoutLinkPages } from "./checkout-links/routes.js";
import { checkoutLinks } from "./checkout-links/store.js";
import { registerCheckoutPages } from "./checkouts/page-routes.js";
import { checkoutHandlers } from "./checkouts/routes.js";
import { checkouts } from "./checkouts/store.js";
import { customFieldHandlers } from "./custom-fields/routes.js";
import { customerPortalHandlers } from "./customer-portal/routes.js";
import { discountHandlers } from "./discounts/routes.js";
import { eventTypeHandlers } from "./event-types/routes.js";
import { customerSessionHandlers } from "./customer-sessions/routes.js";
import { paymentHandlers } from "./payments/routes.js";
import { paymentMethods, payments } from "./payments/store.js";
import { registerOrderPages } from "./orders/page-routes.js";
import { registerCustomerPortalPages } from "./customer-portal-page/routes.js";
import { orderHandlers } from "./orders/routes.js";
import { orders } from "./orders/store.js";
import { refundHandlers } from "./refunds/routes.js";
import { refunds } from "./refunds/store.js";
import { subscriptionHandlers } from "./subscriptions/routes.js";
import { registerTriggerRoutes } from "./trigger/routes.js";
import { subscriptions } from "./subscriptions/store.js";
import { dispatcherOf } from "./webhooks/dispatcher.js";
import { registerWebhookPublishers } from "./webhooks/payloads.js";
import { webhookHandlers } from "./webhooks/routes.js";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "./webhooks/store.js";

/**
 * Checkouts, checkout links, orders, subscriptions, refunds, customer sessions, webhooks
 * and the billing clock (Emulator III).
 */
export const COMMERCE_HANDLERS: OperationHandlers = {
  ...benefitGrantHandlers,
  ...checkoutHandlers,
  ...checkoutLinkHandlers,
  ...orderHandlers,
  ...subscriptionHandlers,
  ...refundHandlers,
  ...customerSessionHandlers,
  ...webhookHandlers,
  ...paymentHandlers,
  ...customerPortalHandlers,
  ...discountHandlers,
  ...customFieldHandlers,
  ...eventTypeHandlers,
};

export function registerCommerceListeners(ctx: EmulatorContext): void {
  // Opened first with their indexes (customer state reads `subscriptions` by name too).
  for (const open of [
    checkouts,
    checkoutLinks,
    orders,
    subscriptions,
    refunds,
    webhookEndpoints,
    webhookEvents,
    webhookDeliveries,
    payments,
    paymentMethods,
  ])
    open(ctx);
  registerWebhookPublishers(ctx);
  const dispatcher = dispatcherOf(ctx);
  ctx.clock.onAdvance(() => dispatcher.kick());
  ctx.store.onReset(() => dispatcher.reload());
  ctx.closeHooks.push(() => dispatcher.close());
  // Events left pending in a database file are delivered after a restart.
  dispatcher.kick();
}

/** Hosted pages (checkout, links, invoices), the clock's and the trigger's control routes. */
export function registerCommercePages(app: Hono, ctx: EmulatorContext): void {
  registerCheckoutPages(app, ctx);
  registerCheckoutLinkPages(app, ctx);
  registerOrderPages(app, ctx);
  registerCustomerPortalPages(app, ctx);
  registerClockRoutes(app, ctx);
  registerTriggerRoutes(app, ctx);
}
