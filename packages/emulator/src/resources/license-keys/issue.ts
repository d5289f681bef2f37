import { randomUUID } from "node:crypto";
import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import { benefitGrants } from "../benefit-grants/store.js";
import { benefits } from "../benefits/store.js";
import { licenseKeys, type LicenseKeyRecord } from "./store.js";

interface LicenseKeysProperties {
  prefix?: string | null;
  expires?: { ttl: number; timeframe: "day" | "month" | "year" } | null;
  activations?: { limit: number } | null;
  limit_usage?: number | null;
}

/** Polar's key format: an uppercase UUID4, after the benefit's prefix if it has one. */
export function generateKey(prefix: string | null | undefined): string {
  const uuid = randomUUID().toUpperCase();
  return prefix ? `${prefix.toUpperCase()}-${uuid}` : uuid;
}

/** `now + ttl` in the benefit's timeframe (calendar months and years, as Polar's relativedelta). */
export function expiryFrom(now: Date, expires: LicenseKeysProperties["expires"]): string | null {
  if (!expires) return null;
  const date = new Date(now);
  if (expires.timeframe === "day") date.setUTCDate(date.getUTCDate() + expires.ttl);
  if (expires.timeframe === "month") date.setUTCMonth(date.getUTCMonth() + expires.ttl);
  if (expires.timeframe === "year") date.setUTCFullYear(date.getUTCFullYear() + expires.ttl);
  return iso(date);
}

/**
 * On a license_keys grant: issues a key the first time, and on a re-grant restores the same
 * key as Polar does (status granted again; expiry and limits recomputed from the benefit).
 */
function onGranted(ctx: EmulatorContext, grantId: string): void {
  const grant = benefitGrants(ctx).get(grantId);
  const benefit = grant && benefits(ctx).get(grant.benefit_id);
  if (!grant || !benefit || benefit.type !== "license_keys") return;
  const props = benefit.properties as LicenseKeysProperties;
  const now = ctx.clock.now();
  const terms = {
    status: "granted" as const,
    // Polar: keys granted by a subscription never expire (the subscription bounds them).
    expires_at: grant.subscription_id ? null : expiryFrom(now, props.expires),
    limit_activations: props.activations?.limit ?? null,
    limit_usage: props.limit_usage ?? null,
  };
  const existingId = grant.properties.license_key_id;
  const existing = typeof existingId === "string" ? licenseKeys(ctx).get(existingId) : undefined;
  let key: LicenseKeyRecord;
  if (existing) {
    key = licenseKeys(ctx).put({ ...existing, ...terms, modified_at: iso(now) });
  } else {
    const text = generateKey(props.prefix);
    key = licenseKeys(ctx).insert({
      id: newId(),
      organization_id: grant.organization_id,
      created_at: iso(now),
      modified_at: null,
      customer_id: grant.customer_id,
      benefit_id: benefit.id,
      key: text,
      display_key: `****-${text.slice(-6)}`,
      usage: 0,
      validations: 0,
      last_validated_at: null,
      ...terms,
    });
  }
  benefitGrants(ctx).put({
    ...grant,
    properties: { ...grant.properties, license_key_id: key.id, display_key: key.display_key },
  });
}

/** On a license_keys revoke: the key stays, its status becomes revoked. */
function onRevoked(ctx: EmulatorContext, grantId: string): void {
  const grant = benefitGrants(ctx).get(grantId);
  const keyId = grant?.properties.license_key_id;
  if (typeof keyId !== "string") return;
  const key = licenseKeys(ctx).get(keyId);
  if (key) {
    licenseKeys(ctx).put({ ...key, status: "revoked", modified_at: iso(ctx.clock.now()) });
  }
}

export function registerLicenseKeyListeners(ctx: EmulatorContext): void {
  ctx.bus.on("benefit_grant.granted", ({ grantId }) => onGranted(ctx, grantId));
  ctx.bus.on("benefit_grant.revoked", ({ grantId }) => onRevoked(ctx, grantId));
}
