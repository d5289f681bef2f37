import { randomUUID } from "node:crypto";
import type { models } from "@polar-sh/sdk/2026-10";
import type { CheckoutUrls } from "../checkout/checkout-urls.js";
import type { PolarApi } from "../polar/polar-api.js";
import { classifyPolarError } from "../polar/polar-errors.js";
import type { UsageRecorder } from "../usage/usage-recorder.js";
import type { PaywallLogger } from "./config.js";
import { costOf, type ProductPlan } from "./product-plan.js";
import {
  messages,
  type UsageEvent,
  type ValidateLicenseKeyResult,
  type ValidationCode,
} from "./result.js";

/**
 * A decision on one paid call. Everything about the call lives here, never on the shared
 * provider, so concurrent calls cannot mix customers. A valid one must be committed (usage
 * recorded) or released.
 */
export interface Authorization extends ValidateLicenseKeyResult {
  /** The usage event's `external_id`, fixed when the call was accepted. */
  readonly externalId?: string;
  /** Records the call's usage once (later calls are no-ops). Throws when it cannot be recorded. */
  commit(event?: UsageEvent): Promise<void>;
  /** Gives up the call without charging. */
  release(): void;
}

export interface AuthorizeDeps {
  api: PolarApi;
  plan: () => Promise<ProductPlan>;
  checkout: CheckoutUrls;
  recorder: UsageRecorder;
  organizationId: string;
  licenseKeyHeader: string;
  logger: PaywallLogger;
  now: () => Date;
}

const noop = async () => {};

function denial(
  code: ValidationCode,
  message: string,
  extra: Partial<ValidateLicenseKeyResult> = {},
): Authorization {
  return { valid: false, code, message, ...extra, commit: noop, release: () => {} };
}

/** Runs the seed's validation flow: key, product, status, usage limit, expiry, credits. */
export async function authorize(
  deps: AuthorizeDeps,
  licenseKey: string | undefined | null,
  event: UsageEvent,
): Promise<Authorization> {
  const { api, checkout, logger } = deps;
  // Never rejects: a failed link is logged and the denial goes out without it.
  const productUrl = () => checkout.forDenial();
  const customerUrl = (customerId: string) => checkout.forDenial(customerId);

  if (typeof licenseKey !== "string" || licenseKey.trim() === "") {
    const url = await productUrl();
    return denial(
      "license_key_missing",
      messages.missing(deps.licenseKeyHeader, url),
      url ? { checkoutUrl: url } : {},
    );
  }
  const key = licenseKey.trim();

  let plan: ProductPlan;
  try {
    plan = await deps.plan();
  } catch (error) {
    const failure = classifyPolarError(error);
    logger.error("paywall: cannot load the product", {
      code: "license_key_error",
      failure: failure.kind,
    });
    return denial(
      "license_key_error",
      messages.unavailable(
        failure.kind === "unavailable" ? failure.reason : "product not readable",
      ),
    );
  }
  if (plan.licenseKeyBenefitIds.length === 0) {
    logger.error("paywall: the product has no license_keys benefit", { productId: plan.productId });
    return denial("license_key_error", messages.unavailable("the product sells no license keys"));
  }

  let validated: models.ValidatedLicenseKey;
  try {
    validated = await api.validateLicenseKey({
      key,
      organization_id: deps.organizationId,
      // Scoped to this product's benefit: a key of another product is not granted here.
      ...(plan.licenseKeyBenefitIds.length === 1
        ? { benefit_id: plan.licenseKeyBenefitIds[0] }
        : {}),
    });
  } catch (error) {
    const failure = classifyPolarError(error);
    if (failure.kind === "not_found") {
      if (/expired/i.test(failure.detail)) {
        const url = await productUrl();
        return denial(
          "license_key_expired",
          messages.expired(undefined, url),
          url ? { checkoutUrl: url } : {},
        );
      }
      const url = await productUrl();
      return denial(
        "license_key_not_granted",
        messages.notGranted(url),
        url ? { checkoutUrl: url } : {},
      );
    }
    logger.error("paywall: license key validation failed", {
      code: "license_key_error",
      failure: failure.kind,
    });
    const reason =
      failure.kind === "unavailable"
        ? failure.reason
        : failure.kind === "auth"
          ? "server credentials rejected"
          : "bad request";
    return denial("license_key_error", messages.unavailable(reason));
  }

  const customerId = validated.customer_id;
  if (!plan.licenseKeyBenefitIds.includes(validated.benefit_id)) {
    const url = await productUrl();
    return denial("license_key_not_granted", messages.notGranted(url), {
      customerId,
      ...(url ? { checkoutUrl: url } : {}),
    });
  }
  if (validated.status !== "granted") {
    const url = await customerUrl(customerId);
    return denial("license_key_not_granted", messages.notGranted(url), {
      customerId,
      ...(url ? { checkoutUrl: url } : {}),
    });
  }
  if (validated.expires_at && new Date(validated.expires_at) <= deps.now()) {
    const url = await customerUrl(customerId);
    return denial("license_key_expired", messages.expired(validated.expires_at, url), {
      customerId,
      ...(url ? { checkoutUrl: url } : {}),
    });
  }
  if (
    validated.limit_usage !== null &&
    validated.limit_usage !== undefined &&
    validated.usage + 1 > validated.limit_usage
  ) {
    const url = await customerUrl(customerId);
    return denial(
      "license_key_usage_limit_reached",
      messages.usageLimit(validated.usage, validated.limit_usage, url),
      {
        customerId,
        ...(url ? { checkoutUrl: url } : {}),
      },
    );
  }

  let balance: number | undefined;
  if (plan.credits.length > 0) {
    let state: models.CustomerState;
    try {
      state = await api.getCustomerState(customerId);
    } catch (error) {
      const failure = classifyPolarError(error);
      logger.error("paywall: customer state unavailable", {
        code: "license_key_error",
        failure: failure.kind,
        customerId,
      });
      return denial(
        "license_key_error",
        messages.unavailable(
          failure.kind === "unavailable" ? failure.reason : "customer state not readable",
        ),
        { customerId },
      );
    }
    const grantedBenefits = new Set(state.granted_benefits.map((g) => g.benefit_id));
    const held = plan.credits.filter((credit) => grantedBenefits.has(credit.benefitId));
    if (held.length === 0) {
      // Without the credits benefit there is nothing to spend: never unlimited use.
      const url = await customerUrl(customerId);
      return denial("meter_credit_exhausted", messages.noCreditBenefit(url), {
        customerId,
        ...(url ? { checkoutUrl: url } : {}),
      });
    }
    // An event no meter counts is still a metered call: at a zero balance it is denied too.
    const uncounted = held.every((credit) => costOf(event, credit) === 0);
    for (const credit of held) {
      const cost = costOf(event, credit);
      const meter = state.active_meters.find((m) => m.meter_id === credit.meterId);
      const available = meter?.balance ?? 0;
      if ((cost > 0 && available < cost) || (uncounted && available <= 0)) {
        const url = await customerUrl(customerId);
        return denial("meter_credit_exhausted", messages.noCredits(cost, available, url), {
          customerId,
          balance: available,
          ...(url ? { checkoutUrl: url } : {}),
        });
      }
      balance = Math.min(balance ?? Infinity, available - cost);
    }
  }

  const externalId = randomUUID();
  let settled = false;
  return {
    valid: true,
    code: "license_key_valid",
    message: messages.valid(),
    customerId,
    externalId,
    ...(balance !== undefined ? { balance } : {}),
    async commit(committed = event) {
      if (settled) return;
      settled = true;
      await deps.recorder.record({
        externalId,
        customerId,
        event: committed,
        ...(validated.limit_usage !== null && validated.limit_usage !== undefined
          ? { licenseKey: { key, organizationId: deps.organizationId } }
          : {}),
      });
    },
    release() {
      settled = true;
    },
  };
}
