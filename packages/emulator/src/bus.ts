/**
 * A tiny synchronous event bus between resources: a grant tells license keys to issue a
 * key, meters to credit units, webhooks to deliver. Listeners run inside the emitter's
 * transaction, so a failure rolls the whole change back.
 */
export interface BusEvents {
  "benefit_grant.granted": { grantId: string };
  /**
   * `benefitKept`: another grant of the same benefit is still in force for the customer, so
   * types that do not revoke individually (meter credits) skip their own revoke, as Polar.
   */
  "benefit_grant.revoked": { grantId: string; benefitKept?: boolean };
  "customer.created": { customerId: string };
  "customer.updated": { customerId: string };
  "customer.deleted": { customerId: string };
  // Commerce (Emulator III): each maps to the webhook of the same name.
  "benefit_grant.cycled": { grantId: string };
  "checkout.created": { checkoutId: string };
  "checkout.updated": { checkoutId: string };
  "checkout.expired": { checkoutId: string };
  "order.created": { orderId: string };
  "order.updated": { orderId: string };
  "order.paid": { orderId: string };
  "order.refunded": { orderId: string };
  "subscription.created": { subscriptionId: string };
  "subscription.updated": { subscriptionId: string };
  "subscription.active": { subscriptionId: string };
  "subscription.canceled": { subscriptionId: string };
  "subscription.uncanceled": { subscriptionId: string };
  "subscription.cycled": { subscriptionId: string };
  "subscription.revoked": { subscriptionId: string };
  "refund.created": { refundId: string };
  "refund.updated": { refundId: string };
  "product.created": { productId: string };
  "product.updated": { productId: string };
  "benefit.created": { benefitId: string };
  "benefit.updated": { benefitId: string };
  "discount.created": { discountId: string };
  "discount.updated": { discountId: string };
  "discount.deleted": { discountId: string };
  "organization.updated": { organizationId: string };
}

type Listener<K extends keyof BusEvents> = (payload: BusEvents[K]) => void;

export class EventBus {
  private readonly listeners = new Map<keyof BusEvents, Listener<never>[]>();

  on<K extends keyof BusEvents>(event: K, listener: Listener<K>): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as Listener<never>]);
  }

  emit<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as Listener<K>)(payload);
  }
}
