import type { EmulatorContext } from "../../context.js";
import { badRequest, notFound, notPermitted } from "../../http/errors.js";
import { iso, newId } from "../../ids.js";
import {
  findKey,
  licenseKeyActivations,
  licenseKeys,
  liveActivations,
  type LicenseKeyActivationRecord,
  type LicenseKeyRecord,
} from "./store.js";

type Conditions = Record<string, string | number | boolean>;

export interface ValidateInput {
  key: string;
  organization_id: string;
  activation_id?: string | null;
  benefit_id?: string | null;
  customer_id?: string | null;
  increment_usage?: number | null;
  conditions?: Conditions;
}

export interface ActivateInput {
  key: string;
  organization_id: string;
  label: string;
  conditions?: Conditions;
  meta?: Conditions;
}

export interface DeactivateInput {
  key: string;
  organization_id: string;
  activation_id: string;
}

/** The key named by a body, or Polar's bare 404 (`Not found`). */
export function keyOrNotFound(ctx: EmulatorContext, organizationId: string, key: string) {
  const record = findKey(ctx, organizationId, key);
  if (!record) throw notFound();
  return record;
}

function activationOrNotFound(ctx: EmulatorContext, key: LicenseKeyRecord, activationId: string) {
  const activation = licenseKeyActivations(ctx).get(activationId);
  if (!activation || activation.license_key_id !== key.id || activation.deleted_at)
    throw notFound();
  return activation;
}

const isExpired = (key: LicenseKeyRecord, now: Date) =>
  key.expires_at !== null && now >= new Date(key.expires_at);

/** Python dict equality on flat JSON values (key order does not matter). */
function sameConditions(a: Conditions | undefined, b: Conditions): boolean {
  const left = a ?? {};
  const keys = Object.keys(left);
  return keys.length === Object.keys(b).length && keys.every((k) => left[k] === b[k]);
}

/**
 * Polar's license-key validation, checks in Polar's order with Polar's messages. Runs
 * synchronously inside one SQLite transaction (the row lock of Polar's `FOR UPDATE`), so
 * concurrent validations with `increment_usage` can never push usage past `limit_usage`.
 */
export function validateKey(
  ctx: EmulatorContext,
  input: ValidateInput,
): { key: LicenseKeyRecord; activation: LicenseKeyActivationRecord | null } {
  return ctx.store.transaction(() => {
    const key = keyOrNotFound(ctx, input.organization_id, input.key);
    const now = ctx.clock.now();
    if (key.status !== "granted") throw notFound("License key is no longer active.");
    if (isExpired(key, now)) throw notFound("License key has expired.");
    let activation: LicenseKeyActivationRecord | null = null;
    if (input.activation_id) {
      activation = activationOrNotFound(ctx, key, input.activation_id);
      const required = activation.conditions;
      if (Object.keys(required).length > 0 && !sameConditions(input.conditions, required))
        throw notFound("License key does not match required conditions");
    }
    if (input.benefit_id && input.benefit_id !== key.benefit_id)
      throw notFound("License key does not match given benefit.");
    if (input.customer_id && input.customer_id !== key.customer_id)
      throw notFound("License key does not match given user.");
    const increment = input.increment_usage ?? 0;
    if (increment && key.limit_usage) {
      const remaining = key.limit_usage - key.usage;
      if (increment > remaining) throw badRequest(`License key only has ${remaining} more usages.`);
    }
    const validated: LicenseKeyRecord = {
      ...key,
      validations: key.validations + 1,
      last_validated_at: iso(now),
      usage: key.usage + increment,
    };
    licenseKeys(ctx).put(validated);
    return { key: validated, activation };
  });
}

/** Polar's activation: checks in Polar's order; 403 NotPermitted with Polar's messages. */
export function activateKey(
  ctx: EmulatorContext,
  input: ActivateInput,
): { key: LicenseKeyRecord; activation: LicenseKeyActivationRecord } {
  return ctx.store.transaction(() => {
    const key = keyOrNotFound(ctx, input.organization_id, input.key);
    if (key.status !== "granted")
      throw notPermitted("License key is no longer active. This license key can not be activated.");
    if (isExpired(key, ctx.clock.now())) throw notPermitted("License key has expired.");
    if (!key.limit_activations)
      throw notPermitted(
        "This license key does not support activations. Use the /validate endpoint instead to check license validity.",
      );
    if (liveActivations(ctx, key.id).length >= key.limit_activations)
      throw notPermitted("License key activation limit already reached");
    const activation = licenseKeyActivations(ctx).insert({
      id: newId(),
      organization_id: key.organization_id,
      license_key_id: key.id,
      label: input.label,
      conditions: input.conditions ?? {},
      meta: input.meta ?? {},
      created_at: iso(ctx.clock.now()),
      modified_at: null,
      deleted_at: null,
    });
    return { key, activation };
  });
}

/** Polar's deactivation: a soft delete of a live activation of the key; 404 otherwise. */
export function deactivateKey(ctx: EmulatorContext, input: DeactivateInput): void {
  ctx.store.transaction(() => {
    const key = keyOrNotFound(ctx, input.organization_id, input.key);
    const activation = activationOrNotFound(ctx, key, input.activation_id);
    const now = iso(ctx.clock.now());
    licenseKeyActivations(ctx).put({ ...activation, deleted_at: now, modified_at: now });
  });
}
