import type { models } from "@polar-sh/sdk/2026-10";
import { PaywallError } from "../errors.js";
import type { PolarApi } from "../polar/polar-api.js";
import { classifyPolarError } from "../polar/polar-errors.js";
import type { ProductPlan } from "../provider/product-plan.js";

/** What Polar says about a license key for the configured product (cached per key). */
export type KeyDecision =
  | {
      kind: "granted";
      customerId: string;
      keyId: string;
      limitUsage: number | null;
      usage: number;
      expiresAt: string | null;
    }
  | {
      kind: "denied";
      code: "license_key_not_granted" | "license_key_expired";
      customerId?: string;
      expiresAt?: string | null;
    };

/**
 * Validates a key with Polar, scoped to the product's `license_keys` benefit. Throws
 * PaywallError `polar_unavailable` (with the cause) when Polar cannot answer.
 */
export async function loadKeyDecision(
  api: PolarApi,
  plan: ProductPlan,
  organizationId: string,
  key: string,
): Promise<{ decision: KeyDecision; validated?: models.ValidatedLicenseKey }> {
  if (plan.licenseKeyBenefitIds.length === 0)
    throw new PaywallError("misconfigured", "the product sells no license keys");
  let validated: models.ValidatedLicenseKey;
  try {
    validated = await api.validateLicenseKey({
      key,
      organization_id: organizationId,
      ...(plan.licenseKeyBenefitIds.length === 1
        ? { benefit_id: plan.licenseKeyBenefitIds[0] }
        : {}),
    });
  } catch (error) {
    const failure = classifyPolarError(error);
    if (failure.kind === "not_found") {
      const code = /expired/i.test(failure.detail)
        ? "license_key_expired"
        : "license_key_not_granted";
      return { decision: { kind: "denied", code } };
    }
    throw new PaywallError(
      failure.kind === "auth" ? "polar_auth" : "polar_unavailable",
      failure.kind === "unavailable"
        ? failure.reason
        : failure.kind === "auth"
          ? "server credentials rejected"
          : "bad request",
      { cause: error },
    );
  }
  const customerId = validated.customer_id;
  if (!plan.licenseKeyBenefitIds.includes(validated.benefit_id) || validated.status !== "granted")
    return { decision: { kind: "denied", code: "license_key_not_granted", customerId }, validated };
  return {
    decision: {
      kind: "granted",
      customerId,
      keyId: validated.id,
      limitUsage: validated.limit_usage ?? null,
      usage: validated.usage,
      expiresAt: validated.expires_at ?? null,
    },
    validated,
  };
}
