import { randomBytes } from "node:crypto";
import type { EmulatorContext } from "../../context.js";
import { badRequest, notFound } from "../../http/errors.js";
import { iso, newId } from "../../ids.js";
import { customers, findCustomer, findCustomerByExternalId } from "../customers/store.js";
import { createCustomerSession } from "../customer-sessions/service.js";
import { addMember, memberRead, members, type MemberRecord } from "../members/store.js";
import { organizations } from "../organizations/store.js";
import { products } from "../products/store.js";
import { publishWebhook } from "../webhooks/publish.js";
import {
  hashToken,
  INVITATION_TTL_MS,
  seatHolder,
  seats,
  seatsOf,
  type SeatHolder,
  type SeatRecord,
} from "./store.js";

export interface AssignInput {
  subscription_id?: string | null;
  order_id?: string | null;
  email?: string | null;
  external_customer_id?: string | null;
  customer_id?: string | null;
  external_member_id?: string | null;
  member_id?: string | null;
  metadata?: Record<string, unknown> | null;
  immediate_claim?: boolean;
}

export function seatRead(ctx: EmulatorContext, seat: SeatRecord) {
  const member = seat.member_id ? members(ctx).get(seat.member_id) : undefined;
  return {
    created_at: seat.created_at,
    modified_at: seat.modified_at,
    id: seat.id,
    subscription_id: seat.subscription_id,
    order_id: seat.order_id,
    status: seat.status,
    customer_id: seat.customer_id,
    member_id: seat.member_id,
    member: member ? memberRead(member) : null,
    email: seat.email,
    customer_email: customers(ctx).get(seat.customer_id)?.email ?? null,
    invitation_token_expires_at: seat.invitation_token_expires_at,
    claimed_at: seat.claimed_at,
    revoked_at: seat.revoked_at,
    seat_metadata: seat.seat_metadata,
  };
}

/** The seats of a subscription or order the caller may see (404 otherwise, 400 if not seat-based). */
export function holderFor(
  ctx: EmulatorContext,
  ref: { subscription_id?: string | null; order_id?: string | null },
  visible: (h: SeatHolder) => boolean,
): SeatHolder {
  if (!ref.subscription_id && !ref.order_id)
    throw badRequest("Either subscription_id or order_id must be provided.");
  const holder = seatHolder(ctx, ref);
  if (!holder || !visible(holder))
    throw notFound(ref.subscription_id ? "Subscription not found" : "Order not found");
  if (holder.total === 0) throw badRequest("This product does not have seat-based pricing.");
  return holder;
}

export function seatsList(ctx: EmulatorContext, holder: SeatHolder) {
  const all = seatsOf(ctx, holder).filter((s) => s.status !== "revoked");
  return {
    seats: all.map((s) => seatRead(ctx, s)),
    available_seats: Math.max(0, holder.total - all.length),
    total_seats: holder.total,
  };
}

/** A new invitation token (what Polar emails the seat holder); only its hash is kept. */
function invite(ctx: EmulatorContext): { token: string; hash: string; expires: string } {
  const token = randomBytes(32).toString("base64url");
  return {
    token,
    hash: hashToken(token),
    expires: iso(new Date(ctx.clock.now().getTime() + INVITATION_TTL_MS)),
  };
}

/** Invitation tokens by seat id, for the emulator's outbox (`GET /__emulator/seat-invitations`). */
export const invitations = new WeakMap<EmulatorContext, Map<string, string>>();
const remember = (ctx: EmulatorContext, seatId: string, token: string) => {
  let map = invitations.get(ctx);
  if (!map) invitations.set(ctx, (map = new Map()));
  map.set(seatId, token);
};

/**
 * Polar's seat_service.assign_seat: one free seat needed (400), the seat holder named by
 * email, customer or member; an invitation token (7 days) unless `immediate_claim`.
 */
export function assignSeat(
  ctx: EmulatorContext,
  holder: SeatHolder,
  input: AssignInput,
): SeatRecord {
  const taken = seatsOf(ctx, holder).filter((s) => s.status !== "revoked");
  if (taken.length >= holder.total) throw badRequest("No available seats. Buy more seats first.");
  let email = input.email?.trim() || null;
  let memberId: string | null = null;
  if (input.member_id || input.external_member_id) {
    const member = members(ctx)
      .findBy("customer_id", holder.customerId)
      .find(
        (m) =>
          m.deleted_at === null &&
          (m.id === input.member_id ||
            (input.external_member_id && m.external_id === input.external_member_id)),
      );
    if (!member) throw notFound("Member not found");
    memberId = member.id;
    email = member.email;
  } else if (input.customer_id || input.external_customer_id) {
    const customer = input.customer_id
      ? findCustomer(ctx, holder.organizationId, input.customer_id)
      : findCustomerByExternalId(ctx, holder.organizationId, input.external_customer_id ?? "");
    if (!customer) throw notFound("Customer not found");
    email = customer.email;
  }
  if (!email) throw badRequest("Provide the seat holder: email, customer or member.");
  if (taken.some((s) => s.email?.toLowerCase() === email!.toLowerCase()))
    throw badRequest("This email already has a seat.");
  const now = iso(ctx.clock.now());
  const invitation = input.immediate_claim ? undefined : invite(ctx);
  const seat = seats(ctx).insert({
    id: newId(),
    organization_id: holder.organizationId,
    created_at: now,
    modified_at: null,
    subscription_id: holder.kind === "subscription" ? holder.id : null,
    order_id: holder.kind === "order" ? holder.id : null,
    status: "pending",
    customer_id: holder.customerId,
    member_id: memberId,
    email,
    invitation_token_hash: invitation?.hash ?? null,
    invitation_token_expires_at: invitation?.expires ?? null,
    claimed_at: null,
    revoked_at: null,
    seat_metadata: input.metadata ?? null,
  });
  if (invitation) remember(ctx, seat.id, invitation.token);
  publishWebhook(ctx, seat.organization_id, "customer_seat.assigned", () => seatRead(ctx, seat));
  return input.immediate_claim ? claim(ctx, seat).seat : seat;
}

export function revokeSeat(ctx: EmulatorContext, seat: SeatRecord): SeatRecord {
  const now = iso(ctx.clock.now());
  const revoked = seats(ctx).put({
    ...seat,
    status: "revoked",
    revoked_at: now,
    modified_at: now,
    invitation_token_hash: null,
    invitation_token_expires_at: null,
  });
  publishWebhook(ctx, revoked.organization_id, "customer_seat.revoked", () =>
    seatRead(ctx, revoked),
  );
  return revoked;
}

export function resendInvitation(ctx: EmulatorContext, seat: SeatRecord): SeatRecord {
  if (seat.status !== "pending")
    throw badRequest("Only pending seats have an invitation to resend.");
  const invitation = invite(ctx);
  remember(ctx, seat.id, invitation.token);
  return seats(ctx).put({
    ...seat,
    invitation_token_hash: invitation.hash,
    invitation_token_expires_at: invitation.expires,
    modified_at: iso(ctx.clock.now()),
  });
}

/** The pending seat an invitation token names, if it has not expired. */
export function seatByToken(ctx: EmulatorContext, token: string): SeatRecord | undefined {
  const seat = seats(ctx).findBy("invitation_token_hash", hashToken(token))[0];
  if (!seat || seat.status !== "pending" || !seat.invitation_token_expires_at) return undefined;
  return seat.invitation_token_expires_at > iso(ctx.clock.now()) ? seat : undefined;
}

export function claimInfo(ctx: EmulatorContext, seat: SeatRecord) {
  const holder = seatHolder(ctx, seat)!;
  const product = products(ctx).get(holder.productId);
  const organization = organizations(ctx).get(seat.organization_id);
  return {
    product_name: product?.name ?? "",
    product_id: holder.productId,
    organization_name: organization?.name ?? "",
    organization_slug: organization?.slug ?? "",
    customer_email: seat.email ?? "",
    can_claim: seat.status === "pending",
  };
}

/**
 * Claiming: the seat holder becomes a member of the billing customer (Polar's member
 * model) and gets a customer session for it; the seat is claimed.
 */
export function claim(ctx: EmulatorContext, seat: SeatRecord): { seat: SeatRecord; token: string } {
  const billing = customers(ctx).get(seat.customer_id);
  if (!billing) throw notFound("Customer not found");
  let member: MemberRecord | undefined = seat.member_id
    ? members(ctx).get(seat.member_id)
    : undefined;
  if (!member) {
    // A seat makes its customer a team, as Polar's seat-based customers are.
    const team =
      billing.type === "team" ? billing : customers(ctx).put({ ...billing, type: "team" });
    member = addMember(ctx, team, { email: seat.email ?? "", role: "member" });
  }
  const now = iso(ctx.clock.now());
  const claimed = seats(ctx).put({
    ...seat,
    status: "claimed",
    member_id: member.id,
    claimed_at: now,
    modified_at: now,
    invitation_token_hash: null,
    invitation_token_expires_at: null,
  });
  invitations.get(ctx)?.delete(seat.id);
  publishWebhook(ctx, claimed.organization_id, "customer_seat.claimed", () =>
    seatRead(ctx, claimed),
  );
  const session = createCustomerSession(ctx, customers(ctx).get(seat.customer_id)!, null);
  return { seat: claimed, token: session.token };
}
