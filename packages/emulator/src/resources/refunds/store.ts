import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import type { Metadata } from "../customers/store.js";

/** A refund as stored (always succeeded: the emulator's test card refunds at once). */
export interface RefundRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  status: "pending" | "succeeded" | "failed" | "canceled";
  reason: string;
  amount: number;
  tax_amount: number;
  currency: string;
  order_id: string;
  subscription_id: string | null;
  customer_id: string;
  revoke_benefits: boolean;
  comment: string | null;
  metadata: Metadata;
  [key: string]: unknown;
}

export const refunds = (ctx: EmulatorContext): Collection<RefundRecord> =>
  ctx.store.collection<RefundRecord>("refunds", { indexes: ["order_id"] });
