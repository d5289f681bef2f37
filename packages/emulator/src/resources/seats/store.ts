import { createHash } from "node:crypto";
import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";
import { orders } from "../orders/store.js";
import { products } from "../products/store.js";
import { subscriptions } from "../subscriptions/store.js";

/** A seat of a seat-based subscription or order (Polar's CustomerSeat). */
export interface SeatRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  subscription_id: string | null;
  order_id: string | null;
  status: "pending" | "claimed" | "revoked";
  /** The billing customer (who bought the seats). */
  customer_id: string;
  member_id: string | null;
  email: string | null;
  invitation_token_hash: string | null;
  invitation_token_expires_at: string | null;
  claimed_at: string | null;
  revoked_at: string | null;
  seat_metadata: Record<string, unknown> | null;
}

export const seats = (ctx: EmulatorContext): Collection<SeatRecord> =>
  ctx.store.collection<SeatRecord>("customer_seats", {
    indexes: ["customer_id", "invitation_token_hash"],
  });

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Invitations are valid 7 days (Polar's seat invitation expiry). */
export const INVITATION_TTL_MS = 7 * 86_400_000;

/** What the seats are attached to: a seat-based subscription or one-time order. */
export interface SeatHolder {
  kind: "subscription" | "order";
  id: string;
  organizationId: string;
  customerId: string;
  productId: string;
  /** Seats bought: the record's `seats`, else 1 for a seat-based price. */
  total: number;
}

function seatCount(record: object, productId: string | null, ctx: EmulatorContext): number {
  const explicit = Reflect.get(record, "seats");
  if (typeof explicit === "number" && explicit > 0) return explicit;
  const product = productId ? products(ctx).get(productId) : undefined;
  return product?.prices.some((p) => p.amount_type === "seat_based") ? 1 : 0;
}

export function seatHolder(
  ctx: EmulatorContext,
  ref: { subscription_id?: string | null; order_id?: string | null },
): SeatHolder | undefined {
  if (ref.subscription_id) {
    const s = subscriptions(ctx).get(ref.subscription_id);
    if (!s) return undefined;
    return {
      kind: "subscription",
      id: s.id,
      organizationId: s.organization_id,
      customerId: s.customer_id,
      productId: s.product_id,
      total: seatCount(s, s.product_id, ctx),
    };
  }
  if (ref.order_id) {
    const o = orders(ctx).get(ref.order_id);
    if (!o) return undefined;
    return {
      kind: "order",
      id: o.id,
      organizationId: o.organization_id,
      customerId: o.customer_id,
      productId: o.product_id ?? "",
      total: seatCount(o, o.product_id, ctx),
    };
  }
  return undefined;
}

export const seatsOf = (ctx: EmulatorContext, holder: SeatHolder): SeatRecord[] =>
  seats(ctx)
    .findBy("customer_id", holder.customerId)
    .filter((s) => (holder.kind === "subscription" ? s.subscription_id : s.order_id) === holder.id);
