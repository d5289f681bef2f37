import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";

export type LicenseKeyStatus = "granted" | "revoked" | "disabled";
type Conditions = Record<string, string | number | boolean>;

/** A license key as stored: Polar's `LicenseKeyRead` fields without the embedded customer. */
export interface LicenseKeyRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  customer_id: string;
  benefit_id: string;
  key: string;
  display_key: string;
  status: LicenseKeyStatus;
  limit_activations: number | null;
  usage: number;
  limit_usage: number | null;
  validations: number;
  last_validated_at: string | null;
  expires_at: string | null;
  [key: string]: unknown;
}

/** An activation of a key (a machine, a seat); deactivation is a soft delete. */
export interface LicenseKeyActivationRecord {
  id: string;
  organization_id: string;
  license_key_id: string;
  label: string;
  conditions: Conditions;
  meta: Conditions;
  created_at: string;
  modified_at: string | null;
  deleted_at: string | null;
  [key: string]: unknown;
}

/** Keys are looked up by their text on every validation: the paywall's hot path. */
export const licenseKeys = (ctx: EmulatorContext): Collection<LicenseKeyRecord> =>
  ctx.store.collection<LicenseKeyRecord>("license_keys", {
    indexes: ["key", "customer_id", "benefit_id"],
  });

export const licenseKeyActivations = (
  ctx: EmulatorContext,
): Collection<LicenseKeyActivationRecord> =>
  ctx.store.collection<LicenseKeyActivationRecord>("license_key_activations", {
    indexes: ["license_key_id"],
  });

/** A key by its text, within one organization (keys are unique per organization). */
export function findKey(
  ctx: EmulatorContext,
  organizationId: string,
  key: string,
): LicenseKeyRecord | undefined {
  return licenseKeys(ctx)
    .findBy("key", key)
    .find((k) => k.organization_id === organizationId);
}

/** The live (not deactivated) activations of a key, oldest first. */
export const liveActivations = (ctx: EmulatorContext, licenseKeyId: string) =>
  licenseKeyActivations(ctx)
    .findBy("license_key_id", licenseKeyId)
    .filter((a) => !a.deleted_at);
