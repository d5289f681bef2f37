import type { EmulatorContext } from "../../context.js";
import { expireCheckout } from "./service.js";
import { checkouts, type CheckoutRecord } from "./store.js";

/** Reads past `expires_at` see the session expired (and `checkout.expired` is sent once). */
export function expireIfDue(ctx: EmulatorContext, checkout: CheckoutRecord): CheckoutRecord {
  if (checkout.status !== "open" || new Date(checkout.expires_at) > ctx.clock.now())
    return checkout;
  expireCheckout(ctx, checkout);
  return checkouts(ctx).get(checkout.id) ?? checkout;
}
