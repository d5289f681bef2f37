import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import type { Metadata } from "../customers/store.js";
import { normalizeProperties } from "./properties.js";
import { benefits, type BenefitRecord, type BenefitType } from "./store.js";

export interface BenefitInput {
  type: BenefitType;
  description: string;
  properties?: Record<string, unknown>;
  metadata?: Metadata;
  visibility?: "draft" | "private" | "public" | null;
}

/** Creates a benefit of any type, its properties checked as Polar does. */
export function createBenefit(
  ctx: EmulatorContext,
  organizationId: string,
  input: BenefitInput,
): BenefitRecord {
  const record: BenefitRecord = {
    id: newId(),
    organization_id: organizationId,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    type: input.type,
    description: input.description,
    visibility: input.visibility ?? "public",
    selectable: true,
    deletable: true,
    is_deleted: false,
    deleted_at: null,
    metadata: input.metadata ?? {},
    properties: normalizeProperties(ctx, organizationId, input.type, input.properties ?? {}),
  };
  return benefits(ctx).insert(record);
}
