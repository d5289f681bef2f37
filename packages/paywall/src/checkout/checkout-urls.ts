import type { PolarApi } from "../polar/polar-api.js";
import { CachedValue } from "../provider/single-flight.js";

const SESSION_REUSE_MS = 30 * 60 * 1000;

/**
 * Checkout URLs, created sparingly: one reusable checkout link for the product, and one
 * checkout session per customer (reused for 30 minutes) so a denial's link is tied to the
 * customer who must pay. Nothing is created for valid keys.
 */
export class CheckoutUrls {
  private readonly productLink: CachedValue<string>;
  private readonly perCustomer = new Map<string, { url: string; until: number }>();

  constructor(
    private readonly api: PolarApi,
    private readonly productId: string,
    private readonly successUrl: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.productLink = new CachedValue(
      async () =>
        (
          await api.createCheckoutLink({
            products: [productId],
            ...(successUrl ? { success_url: successUrl } : {}),
          } as Parameters<PolarApi["createCheckoutLink"]>[0])
        ).url,
      24 * 60 * 60 * 1000,
      now,
    );
  }

  /** The product's reusable checkout link. */
  forProduct(): Promise<string> {
    return this.productLink.get();
  }

  /** A checkout session bound to the customer (their purchase credits their account). */
  async forCustomer(customerId: string): Promise<string> {
    const cached = this.perCustomer.get(customerId);
    if (cached && cached.until > this.now()) return cached.url;
    const checkout = await this.api.createCheckout({
      products: [this.productId],
      customer_id: customerId,
      ...(this.successUrl ? { success_url: this.successUrl } : {}),
    } as Parameters<PolarApi["createCheckout"]>[0]);
    this.perCustomer.set(customerId, { url: checkout.url, until: this.now() + SESSION_REUSE_MS });
    return checkout.url;
  }
}
