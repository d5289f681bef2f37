import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import type { Collection } from "../../store/collection.js";

/** An organization as stored; the response schema's other fields take neutral values. */
export interface OrganizationRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  name: string;
  slug: string;
  email: string | null;
  website: string | null;
  avatar_url: string | null;
  status: string;
  default_presentment_currency: string;
  [key: string]: unknown;
}

export const organizations = (ctx: EmulatorContext): Collection<OrganizationRecord> =>
  ctx.store.collection<OrganizationRecord>("organizations", { indexes: ["slug"] });

export function createOrganization(
  ctx: EmulatorContext,
  input: { name: string; slug?: string; id?: string },
): OrganizationRecord {
  const id = input.id ?? newId();
  const record: OrganizationRecord = {
    id,
    organization_id: id,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    name: input.name,
    slug:
      input.slug ??
      input.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, ""),
    email: null,
    website: null,
    avatar_url: null,
    status: "active",
    default_presentment_currency: "usd",
    proration_behavior: "prorate",
    allow_customer_updates: true,
    socials: [],
    default_tax_behavior: "location",
    subscription_settings: {
      allow_multiple_subscriptions: false,
      proration_behavior: "prorate",
      benefit_revocation_grace_period: 14,
      prevent_trial_abuse: false,
      allow_customer_updates: true,
    },
    embed_hosts: [],
  };
  return organizations(ctx).insert(record);
}
