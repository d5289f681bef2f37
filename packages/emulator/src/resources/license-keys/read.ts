import type { EmulatorContext } from "../../context.js";
import { customers } from "../customers/store.js";
import {
  liveActivations,
  type LicenseKeyActivationRecord,
  type LicenseKeyRecord,
} from "./store.js";

const withCustomer = (ctx: EmulatorContext, key: LicenseKeyRecord) => ({
  ...key,
  customer: customers(ctx).get(key.customer_id),
});

export const licenseKeyRead = (ctx: EmulatorContext, key: LicenseKeyRecord) =>
  ctx.shaper.shape("LicenseKeyRead", withCustomer(ctx, key));

export const licenseKeyWithActivations = (ctx: EmulatorContext, key: LicenseKeyRecord) =>
  ctx.shaper.shape("LicenseKeyWithActivations", {
    ...withCustomer(ctx, key),
    activations: liveActivations(ctx, key.id),
  });

export const validatedLicenseKey = (
  ctx: EmulatorContext,
  key: LicenseKeyRecord,
  activation: LicenseKeyActivationRecord | null,
) => ctx.shaper.shape("ValidatedLicenseKey", { ...withCustomer(ctx, key), activation });

export const activationRead = (
  ctx: EmulatorContext,
  activation: LicenseKeyActivationRecord,
  key: LicenseKeyRecord,
) =>
  ctx.shaper.shape("LicenseKeyActivationRead", {
    ...activation,
    license_key: withCustomer(ctx, key),
  });
