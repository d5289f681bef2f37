import type { PolarApi } from "../polar/polar-api.js";
import type { UsageEvent } from "../provider/result.js";

/** One accepted paid call's usage, with the `external_id` fixed when it was accepted. */
export interface UsageRecord {
  externalId: string;
  customerId: string;
  event: UsageEvent;
  /** Set when the key has a usage limit: the validate-with-increment to record the use. */
  licenseKey?: { key: string; organizationId: string };
}

/** Where accepted calls' usage goes. */
export interface UsageRecorder {
  record(entry: UsageRecord): Promise<void>;
}

/**
 * Sends each call's event to Polar at once (and counts a use on limited keys). The
 * `external_id` makes a retry of the same record harmless: Polar de-duplicates on it.
 */
export class DirectUsageRecorder implements UsageRecorder {
  constructor(private readonly api: PolarApi) {}

  async record(entry: UsageRecord): Promise<void> {
    await this.api.ingestEvents([
      {
        name: entry.event.name,
        customer_id: entry.customerId,
        external_id: entry.externalId,
        metadata: entry.event.metadata ?? {},
      },
    ] as Parameters<PolarApi["ingestEvents"]>[0]);
    if (entry.licenseKey) {
      await this.api.validateLicenseKey({
        key: entry.licenseKey.key,
        organization_id: entry.licenseKey.organizationId,
        increment_usage: 1,
      });
    }
  }
}
