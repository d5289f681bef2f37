import type { Authorization } from "../provider/authorize.js";
import type { CheckoutUrls } from "../checkout/checkout-urls.js";
import {
  messages,
  type ValidateLicenseKeyResult,
  type ValidationCode,
} from "../provider/result.js";

const noop = async () => {};

export function denial(
  code: ValidationCode,
  message: string,
  extra: Partial<ValidateLicenseKeyResult> = {},
): Authorization {
  return { valid: false, code, message, ...extra, commit: noop, release: () => {} };
}

/** Builds denials with their checkout links (created only for denials, never on the hot path). */
export class Denials {
  constructor(
    private readonly checkout: CheckoutUrls,
    private readonly licenseKeyHeader: string,
  ) {}

  private async url(customerId?: string): Promise<string | undefined> {
    // Never rejects: a failed link is logged (and retried after 30 s) by CheckoutUrls.
    return this.checkout.forDenial(customerId);
  }

  private async linked(
    code: ValidationCode,
    message: (url?: string) => string,
    customerId?: string,
    extra: Partial<ValidateLicenseKeyResult> = {},
  ): Promise<Authorization> {
    const url = await this.url(customerId);
    // A denial with a purchase path says so when its link could not be made this time.
    return denial(code, url ? message(url) : `${message()} ${messages.noLink()}`, {
      ...(customerId ? { customerId } : {}),
      ...extra,
      ...(url ? { checkoutUrl: url } : {}),
    });
  }

  missing() {
    return this.linked("license_key_missing", (url) =>
      messages.missing(this.licenseKeyHeader, url),
    );
  }
  notGranted(customerId?: string) {
    return this.linked("license_key_not_granted", messages.notGranted, customerId);
  }
  expired(expiresAt: string | null | undefined, customerId?: string) {
    return this.linked(
      "license_key_expired",
      (url) => messages.expired(expiresAt, url),
      customerId,
    );
  }
  usageLimit(usage: number, limit: number, customerId: string) {
    return this.linked(
      "license_key_usage_limit_reached",
      (url) => messages.usageLimit(usage, limit, url),
      customerId,
    );
  }
  noCreditBenefit(customerId: string) {
    return this.linked("meter_credit_exhausted", messages.noCreditBenefit, customerId);
  }
  noCredits(cost: number, available: number, customerId: string) {
    return this.linked(
      "meter_credit_exhausted",
      (url) => messages.noCredits(cost, available, url),
      customerId,
      { balance: available },
    );
  }
  sessionCap(cap: number, customerId: string) {
    return Promise.resolve(
      denial(
        "meter_credit_exhausted",
        `This session has spent its cap of ${cap} credits; start a new session to continue.`,
        { customerId },
      ),
    );
  }
  unavailable(reason: string, customerId?: string) {
    return Promise.resolve(
      denial("license_key_error", messages.unavailable(reason), customerId ? { customerId } : {}),
    );
  }
}
