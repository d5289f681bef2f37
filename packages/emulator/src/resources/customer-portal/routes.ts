import type { OperationHandlers } from "../../http/operation.js";
import { portalBenefitHandlers } from "./benefits.js";
import { portalCustomerHandlers } from "./customers.js";
import { portalOrderHandlers } from "./orders.js";
import { portalSessionHandlers } from "./session.js";
import { portalSubscriptionHandlers } from "./subscriptions.js";

/** The customer portal's operations (customer-session tokens from POST /v1/customer-sessions/). */
export const customerPortalHandlers: OperationHandlers = {
  ...portalCustomerHandlers,
  ...portalOrderHandlers,
  ...portalSubscriptionHandlers,
  ...portalBenefitHandlers,
  ...portalSessionHandlers,
};
