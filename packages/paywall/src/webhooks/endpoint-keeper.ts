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
  private current: Promise<models.WebhookEndpoint[]> | undefined;
  private checking: Promise<models.WebhookEndpoint[]> | undefined;
  private stopped = false;

  constructor(
    private readonly api: PolarApi,
    private readonly url: string,
    private readonly logger: PaywallLogger,
    private readonly checkEveryMs = 10 * 60_000,
  ) {}

  /**
   * The secrets of the endpoints registered at this URL (registers one on first use). More
   * than one exists when replicas behind one URL registered at the same moment; a delivery
   * signed with any of them is genuine.
   */
  async secrets(): Promise<string[]> {
    this.current ??= this.ensure();
    try {
      return (await this.current).map((e) => e.secret);
    } catch (error) {
      this.current = undefined;
      throw error;
    }
  }

  /** Finds the endpoints at this URL, repairs them or creates one; one check at a time. */
  ensure(): Promise<models.WebhookEndpoint[]> {
    this.checking ??= this.check().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async check(): Promise<models.WebhookEndpoint[]> {
    const found: models.WebhookEndpoint[] = [];
    for (let page = 1; ; page++) {
      const list = await this.api.listWebhookEndpoints({ page, limit: 100 });
      found.push(...list.items.filter((e) => e.url === this.url));
      if (page >= list.pagination.max_page) break;
    }
    if (found.length === 0)
      return [
        await this.api.createWebhookEndpoint({
          url: this.url,
          name: "polar-mcp paywall",
          format: "raw",
          events: STANDING_EVENTS,
        }),
      ];
    const kept: models.WebhookEndpoint[] = [];
    for (const endpoint of found) {
      const missing = STANDING_EVENTS.filter((e) => !endpoint.events.includes(e));
      kept.push(
        !endpoint.enabled || missing.length > 0
          ? await this.api.updateWebhookEndpoint(endpoint.id, {
              enabled: true,
              events: [...new Set([...endpoint.events, ...STANDING_EVENTS])],
            })
          : endpoint,
      );
    }
    return kept;
  }

  /** Checks the endpoint every `checkEveryMs` until stopped. */
  keep(): void {
    void (async () => {
      while (!this.stopped) {
        try {
          const endpoints = await this.ensure();
          this.current = Promise.resolve(endpoints);
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
