import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import type { Metadata } from "../customers/store.js";

/** Every benefit type of Polar's document. */
export const BENEFIT_TYPES = [
  "custom",
  "discord",
  "github_repository",
  "downloadables",
  "license_keys",
  "meter_credit",
  "feature_flag",
  "slack_shared_channel",
] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];

/** A benefit as stored: the fields of Polar's `Benefit` schemas; `properties` per type. */
export interface BenefitRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  type: BenefitType;
  description: string;
  visibility: "draft" | "private" | "public";
  selectable: boolean;
  deletable: boolean;
  /** Soft delete: grants are revoked, the benefit disappears from lists and reads. */
  is_deleted: boolean;
  deleted_at: string | null;
  metadata: Metadata;
  properties: Record<string, unknown>;
  [key: string]: unknown;
}

export const benefits = (ctx: EmulatorContext): Collection<BenefitRecord> =>
  ctx.store.collection<BenefitRecord>("benefits", { indexes: ["type"] });

/** A live (not deleted) benefit of the organization. */
export function findBenefit(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): BenefitRecord | undefined {
  const record = benefits(ctx).get(id);
  return record && record.organization_id === organizationId && !record.is_deleted
    ? record
    : undefined;
}

/** What the response schemas call a benefit: the record shaped as `Benefit`. */
export const benefitRead = (ctx: EmulatorContext, record: BenefitRecord) =>
  ctx.shaper.shape("Benefit", { ...record, visibility_configurable: true });
