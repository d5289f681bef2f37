import type { EmulatorContext } from "../../context.js";
import { notFound } from "../../http/errors.js";
import { asList, paginate } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { organizationFilterAdmits, organizationOf } from "../scope.js";
import { activateKey, deactivateKey, validateKey } from "./checks.js";
import { syncGrantWithKey } from "./grant-sync.js";
import {
  activationRead,
  licenseKeyRead,
  licenseKeyWithActivations,
  validatedLicenseKey,
} from "./read.js";
import { licenseKeyActivations, licenseKeys, type LicenseKeyRecord } from "./store.js";

function ownKey(req: OperationRequest, ctx: EmulatorContext): LicenseKeyRecord {
  const key = licenseKeys(ctx).get(req.path.id ?? "");
  if (!key || key.organization_id !== organizationOf(req.principal)) throw notFound();
  return key;
}

/**
 * With an organization token, a key of another organization is not found (Polar checks
 * the token can read the key after loading it by organization and text).
 */
function assertReadable(req: OperationRequest, organizationId: string): void {
  if (req.principal.kind !== "anonymous" && organizationOf(req.principal) !== organizationId)
    throw notFound();
}

const validate = (req: OperationRequest, ctx: EmulatorContext) => {
  assertReadable(req, req.body.organization_id);
  const { key, activation } = validateKey(ctx, req.body);
  return validatedLicenseKey(ctx, key, activation);
};
const activate = (req: OperationRequest, ctx: EmulatorContext) => {
  assertReadable(req, req.body.organization_id);
  const { key, activation } = activateKey(ctx, req.body);
  return activationRead(ctx, activation, key);
};
const deactivate = (req: OperationRequest, ctx: EmulatorContext) => {
  assertReadable(req, req.body.organization_id);
  deactivateKey(ctx, req.body);
  return undefined;
};

export const licenseKeyHandlers: OperationHandlers = {
  "license_keys:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const benefitIds = asList(req.query.benefit_id);
    const statuses = asList(req.query.status);
    const keys = (
      benefitIds
        ? benefitIds.flatMap((id) => licenseKeys(ctx).findBy("benefit_id", id))
        : licenseKeys(ctx).byOrganization(organizationId)
    )
      .filter((k) => k.organization_id === organizationId)
      .filter((k) => !statuses || statuses.includes(k.status))
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
    const page = paginate(keys, req.query);
    return { ...page, items: page.items.map((k) => licenseKeyRead(ctx, k)) };
  },
  "license_keys:get": (req, ctx) => licenseKeyWithActivations(ctx, ownKey(req, ctx)),
  "license_keys:update": (req, ctx) => {
    const key = ownKey(req, ctx);
    const body = req.body as Record<string, unknown>;
    const updated: LicenseKeyRecord = { ...key, modified_at: iso(ctx.clock.now()) };
    for (const field of ["status", "usage", "limit_activations", "limit_usage", "expires_at"]) {
      if (field in body) updated[field] = body[field];
    }
    if (updated.status === null) updated.status = key.status;
    if (typeof updated.expires_at === "string")
      updated.expires_at = iso(new Date(updated.expires_at));
    return ctx.store.transaction(() => {
      const saved = licenseKeys(ctx).put(updated);
      if (saved.status !== key.status) syncGrantWithKey(ctx, saved);
      return licenseKeyRead(ctx, licenseKeys(ctx).get(saved.id) ?? saved);
    });
  },
  "license_keys:get_activation": (req, ctx) => {
    const key = ownKey(req, ctx);
    const activation = licenseKeyActivations(ctx).get(req.path.activation_id ?? "");
    if (!activation || activation.license_key_id !== key.id || activation.deleted_at)
      throw notFound();
    return activationRead(ctx, activation, key);
  },
  "license_keys:validate": validate,
  "license_keys:activate": activate,
  "license_keys:deactivate": deactivate,
  "customer_portal:license_keys:validate": validate,
  "customer_portal:license_keys:activate": activate,
  "customer_portal:license_keys:deactivate": deactivate,
};
