import type { models } from "@polar-sh/sdk/2026-10";
import type { PolarApi } from "../polar/polar-api.js";
import type { PaywallLogger } from "../provider/config.js";

/** The events after which a standing may change: all the paywall subscribes to. */
export const STANDING_EVENTS: models.WebhookEventType[] = [
  "benefit_grant.created",
  "benefit_grant.updated",
  "benefit_grant.cycled",
  "benefit_grant.revoked",
  "customer.state_changed",
  "customer.updated",
  "customer.deleted",
  "order.paid",
  "order.refunded",
  "subscription.active",
  "subscription.updated",
  "subscription.canceled",
  "subscription.cycled",
  "subscription.revoked",
  "subscription.past_due",
];

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.() ?? undefined);

/**
 * Registers this server's webhook endpoint in Polar (`publicUrl` + path) with the events
 * above, and keeps it: an endpoint deleted, disabled or missing events is repaired on the
 * next check. Its signing secret is read from Polar, so nothing needs configuring.
 */
export class WebhookEndpointKeeper {
  private current: Promise<models.WebhookEndpoint> | undefined;
  private stopped = false;

  constructor(
    private readonly api: PolarApi,
    private readonly url: string,
    private readonly logger: PaywallLogger,
    private readonly checkEveryMs = 10 * 60_000,
  ) {}

  /** The endpoint's secret (registers the endpoint on first use). */
  async secret(): Promise<string> {
    this.current ??= this.ensure();
    try {
      return (await this.current).secret;
    } catch (error) {
      this.current = undefined;
      throw error;
    }
  }

  /** Finds the endpoint by URL, repairs or creates it. */
  async ensure(): Promise<models.WebhookEndpoint> {
    let found: models.WebhookEndpoint | undefined;
    for (let page = 1; !found; page++) {
      const list = await this.api.listWebhookEndpoints({ page, limit: 100 });
      found = list.items.find((e) => e.url === this.url);
      if (page >= list.pagination.max_page) break;
    }
    if (!found)
      return this.api.createWebhookEndpoint({
        url: this.url,
        name: "polar-mcp paywall",
        format: "raw",
        events: STANDING_EVENTS,
      });
    const missing = STANDING_EVENTS.filter((e) => !found.events.includes(e));
    if (!found.enabled || missing.length > 0)
      return this.api.updateWebhookEndpoint(found.id, {
        enabled: true,
        events: [...new Set([...found.events, ...STANDING_EVENTS])],
      });
    return found;
  }

  /** Checks the endpoint every `checkEveryMs` until stopped. */
  keep(): void {
    void (async () => {
      while (!this.stopped) {
        try {
          const endpoint = await this.ensure();
          this.current = Promise.resolve(endpoint);
        } catch (error) {
          if (this.stopped) return;
          this.logger.warn("paywall: webhook endpoint not checked; retrying later", {
            reason: error instanceof Error ? error.name : "unknown",
          });
        }
        await sleep(this.checkEveryMs);
      }
    })();
  }

  stop(): void {
    this.stopped = true;
  }
}
