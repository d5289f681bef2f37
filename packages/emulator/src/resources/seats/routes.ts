import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { badRequest, notFound } from "../../http/errors.js";
import { paginate } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { portalCustomer } from "../customer-portal/scope.js";
import { customers } from "../customers/store.js";
import { organizationOf } from "../scope.js";
import { customerSubscriptionRead } from "../subscriptions/read.js";
import { subscriptions } from "../subscriptions/store.js";
import {
  assignSeat,
  claim,
  claimInfo,
  holderFor,
  invitations,
  resendInvitation,
  revokeSeat,
  seatByToken,
  seatRead,
  seatsList,
  type AssignInput,
} from "./service.js";
import { seatHolder, seats, type SeatHolder, type SeatRecord } from "./store.js";

const ref = (req: OperationRequest) => ({
  subscription_id: typeof req.query.subscription_id === "string" ? req.query.subscription_id : null,
  order_id: typeof req.query.order_id === "string" ? req.query.order_id : null,
});

/** The organization's seats (customer-seats:*), or the portal customer's own. */
const ofOrganization = (req: OperationRequest) => (h: SeatHolder) =>
  h.organizationId === organizationOf(req.principal);
const ofCustomer = (ctx: EmulatorContext, req: OperationRequest) => {
  const customer = portalCustomer(ctx, req.principal);
  return (h: SeatHolder) => h.customerId === customer.id;
};

function seatFor(
  ctx: EmulatorContext,
  req: OperationRequest,
  visible: (h: SeatHolder) => boolean,
): SeatRecord {
  const seat = seats(ctx).get(req.path.seat_id ?? "");
  const holder = seat && seatHolder(ctx, seat);
  if (!seat || !holder || !visible(holder)) throw notFound("Seat not found");
  return seat;
}

export const seatHandlers: OperationHandlers = {
  "customer-seats:list_seats": (req, ctx) =>
    seatsList(ctx, holderFor(ctx, ref(req), ofOrganization(req))),
  "customer-seats:assign_seat": (req, ctx) => {
    const body = req.body as AssignInput;
    return seatRead(ctx, assignSeat(ctx, holderFor(ctx, body, ofOrganization(req)), body));
  },
  "customer-seats:revoke_seat": (req, ctx) =>
    seatRead(ctx, revokeSeat(ctx, seatFor(ctx, req, ofOrganization(req)))),
  "customer-seats:resend_invitation": (req, ctx) =>
    seatRead(ctx, resendInvitation(ctx, seatFor(ctx, req, ofOrganization(req)))),
  "customer-seats:get_claim_info": (req, ctx) => {
    const seat = seatByToken(ctx, req.path.invitation_token ?? "");
    if (!seat) throw notFound("Invitation not found or expired");
    return claimInfo(ctx, seat);
  },
  "customer-seats:claim_seat": (req, ctx) => {
    const seat = seatByToken(ctx, (req.body as { invitation_token: string }).invitation_token);
    if (!seat) throw badRequest("Invalid or expired invitation token.");
    const { seat: claimed, token } = claim(ctx, seat);
    return { seat: seatRead(ctx, claimed), customer_session_token: token };
  },

  "customer_portal:seats:list_seats": (req, ctx) =>
    seatsList(ctx, holderFor(ctx, ref(req), ofCustomer(ctx, req))),
  "customer_portal:seats:assign_seat": (req, ctx) => {
    const body = req.body as AssignInput;
    return seatRead(ctx, assignSeat(ctx, holderFor(ctx, body, ofCustomer(ctx, req)), body));
  },
  "customer_portal:seats:revoke_seat": (req, ctx) =>
    seatRead(ctx, revokeSeat(ctx, seatFor(ctx, req, ofCustomer(ctx, req)))),
  "customer_portal:seats:resend_invitation": (req, ctx) =>
    seatRead(ctx, resendInvitation(ctx, seatFor(ctx, req, ofCustomer(ctx, req)))),
  // Subscriptions in which the session's customer holds a claimed seat (by its email).
  "customer_portal:seats:list_claimed_subscriptions": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const email = customer.email?.toLowerCase();
    const ids = new Set(
      seats(ctx)
        .all()
        .filter(
          (s) =>
            s.status === "claimed" &&
            s.subscription_id &&
            email &&
            s.email?.toLowerCase() === email &&
            s.organization_id === customer.organization_id,
        )
        .map((s) => s.subscription_id!),
    );
    const items = [...ids].map((id) => subscriptions(ctx).get(id)).filter((s) => s !== undefined);
    const page = paginate(items, req.query);
    return { ...page, items: page.items.map((s) => customerSubscriptionRead(ctx, s)) };
  },
};

/**
 * `GET /__emulator/seat-invitations`: the invitations the emulator would have emailed
 * (`[{ seat_id, email, invitation_token }]`, pending seats only, tokens of this process).
 */
export function registerSeatControl(app: Hono, ctx: EmulatorContext): void {
  app.get("/__emulator/seat-invitations", (c) => {
    const tokens = invitations.get(ctx) ?? new Map<string, string>();
    const pending = [...tokens.entries()]
      .map(([seatId, token]) => ({ seat: seats(ctx).get(seatId), token }))
      .filter((x) => x.seat?.status === "pending")
      .map(({ seat, token }) => ({
        seat_id: seat!.id,
        email: seat!.email,
        customer_email: customers(ctx).get(seat!.customer_id)?.email ?? null,
        invitation_token: token,
      }));
    return c.json(pending);
  });
}
