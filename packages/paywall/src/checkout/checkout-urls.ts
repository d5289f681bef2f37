import type { models } from "@polar-sh/sdk/2026-10";
import type { PolarApi } from "../polar/polar-api.js";
import { classifyPolarError } from "../polar/polar-errors.js";
import { SILENT_LOGGER, type PaywallLogger } from "../provider/config.js";
import { CachedValue } from "../provider/single-flight.js";

const SESSION_REUSE_MS = 30 * 60 * 1000;
const LINK_REUSE_MS = 24 * 60 * 60 * 1000;
/** After a failed creation, denials carry no link for this long instead of asking Polar again. */
export const CHECKOUT_FAILURE_CACHE_MS = 30_000;

export interface CheckoutUrlsOptions {
  successUrl?: string | undefined;
  logger?: PaywallLogger;
  now?: () => number;
}

/**
 * Checkout URLs, created sparingly: one reusable checkout link for the product, and one
 * checkout session per customer (reused for 30 minutes) so a denial's link is tied to the
 * customer who must pay. Nothing is created for valid keys. A failed creation is logged and
 * remembered for 30 s, so a Polar outage does not turn every denial into a Polar request.
 */
export class CheckoutUrls {
  private readonly productLink: CachedValue<string>;
  private readonly perCustomer = new Map<string, { url: string; until: number }>();
  private readonly failedUntil = new Map<string, number>();
  private readonly logger: PaywallLogger;
  private readonly now: () => number;

  constructor(
    private readonly api: PolarApi,
    private readonly productId: string,
    private readonly options: CheckoutUrlsOptions = {},
  ) {
    this.logger = options.logger ?? SILENT_LOGGER;
    this.now = options.now ?? Date.now;
    this.productLink = new CachedValue(
      async () => {
        // Polar requires the payment processor; the SDK's request type says so.
        const body: models.CheckoutLinkCreate = {
          payment_processor: "stripe",
          products: [productId],
          ...(options.successUrl ? { success_url: options.successUrl } : {}),
        };
        return (await api.createCheckoutLink(body)).url;
      },
      LINK_REUSE_MS,
      this.now,
    );
  }

  /** The product's reusable checkout link. Rejects when Polar refuses or cannot be reached. */
  forProduct(): Promise<string> {
    return this.productLink.get();
  }

  /** A checkout session bound to the customer (their purchase credits their account). */
  async forCustomer(customerId: string): Promise<string> {
    const cached = this.perCustomer.get(customerId);
    if (cached && cached.until > this.now()) return cached.url;
    const body: models.CheckoutCreate = {
      products: [this.productId],
      customer_id: customerId,
      ...(this.options.successUrl ? { success_url: this.options.successUrl } : {}),
    };
    const checkout = await this.api.createCheckout(body);
    this.perCustomer.set(customerId, { url: checkout.url, until: this.now() + SESSION_REUSE_MS });
    return checkout.url;
  }

  /**
   * The URL a denial carries: the customer's own checkout when the customer is known, else
   * (or when that fails) the product link. Never rejects: a failure is logged once per 30 s
   * and the denial goes out without a link rather than not at all.
   */
  async forDenial(customerId?: string): Promise<string | undefined> {
    if (customerId) {
      const url = await this.attempt(`customer:${customerId}`, () => this.forCustomer(customerId));
      if (url) return url;
    }
    return this.attempt("product", () => this.forProduct());
  }

  private async attempt(slot: string, create: () => Promise<string>): Promise<string | undefined> {
    const until = this.failedUntil.get(slot);
    if (until !== undefined && until > this.now()) return undefined;
    try {
      const url = await create();
      this.failedUntil.delete(slot);
      return url;
    } catch (error) {
      this.failedUntil.set(slot, this.now() + CHECKOUT_FAILURE_CACHE_MS);
      const failure = classifyPolarError(error);
      this.logger.warn("paywall: checkout link not created", {
        code: "checkout_unavailable",
        failure: failure.kind,
        ...("status" in failure ? { status: failure.status } : {}),
        retryInMs: CHECKOUT_FAILURE_CACHE_MS,
      });
      return undefined;
    }
  }
}
