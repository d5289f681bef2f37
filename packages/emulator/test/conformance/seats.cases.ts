import { createPolar } from "@polar-sh/sdk/2026-10";
import { expect } from "vitest";
import type { Conformance, ConformanceCase } from "./harness.js";

type Side = (h: Conformance) => Promise<void>;
const both = (operationId: string, latest: Side, strict: Side): ConformanceCase => ({
  operationId,
  latest,
  strict,
});

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

/** A seat-based monthly plan bought through a checkout: one seat on a new subscription. */
async function seatPlan(h: Conformance) {
  const product = await h.latest.products.create({
    name: unique("Team plan"),
    recurring_interval: "month",
    prices: [
      {
        amount_type: "seat_based",
        price_currency: "usd",
        seat_tiers: { tiers: [{ min_seats: 1, max_seats: null, price_per_seat: 1000 }] },
      },
    ],
  });
  const checkout = await h.latest.checkouts.create({
    products: [product.id],
    customer_email: `${unique("buyer")}@example.com`,
  });
  const confirmed = await h.latest.checkouts.clientConfirm(checkout.client_secret, {
    confirmation_token_id: "tok_visa",
  });
  const subscription = (await h.latest.subscriptions.list({ customer_id: confirmed.customer_id! }))
    .items[0]!;
  const session = await h.latest.customerSessions.create({ customer_id: confirmed.customer_id! });
  return {
    subscriptionId: subscription.id,
    customerId: confirmed.customer_id!,
    token: session.token,
    portal: createPolar({ accessToken: session.token, baseUrl: h.url }).customerPortal.seats,
    security: { customerSession: session.token },
  };
}

/** The invitation the emulator would have emailed for a seat. */
async function invitationOf(h: Conformance, seatId: string): Promise<string> {
  const res = await fetch(`${h.url}/__emulator/seat-invitations`);
  const pending = (await res.json()) as { seat_id: string; invitation_token: string }[];
  return pending.find((p) => p.seat_id === seatId)!.invitation_token;
}

const assigned = async (h: Conformance) => {
  const plan = await seatPlan(h);
  const seat = await h.latest.customerSeats.assignSeat({
    subscription_id: plan.subscriptionId,
    email: `${unique("seat")}@example.com`,
  });
  return { ...plan, seat };
};

export const cases: ConformanceCase[] = [
  both(
    "customer-seats:list_seats",
    async (h) => {
      const plan = await seatPlan(h);
      expect(
        await h.latest.customerSeats.listSeats({ subscription_id: plan.subscriptionId }),
      ).toMatchObject({ total_seats: 1, available_seats: 1, seats: [] });
    },
    async (h) => {
      const { subscriptionId, seat } = await assigned(h);
      const list = await h.strict.customerSeats.listSeats({ subscriptionId });
      expect(list.seats.map((s) => s.id)).toEqual([seat.id]);
      expect(list.availableSeats).toBe(0);
    },
  ),
  both(
    "customer-seats:assign_seat",
    async (h) => {
      const { seat } = await assigned(h);
      expect(seat.status).toBe("pending");
    },
    async (h) => {
      const plan = await seatPlan(h);
      const seat = await h.strict.customerSeats.assignSeat({
        subscriptionId: plan.subscriptionId,
        email: `${unique("s")}@example.com`,
        immediateClaim: true,
      });
      expect(seat.status).toBe("claimed");
    },
  ),
  both(
    "customer-seats:revoke_seat",
    async (h) => {
      const { seat } = await assigned(h);
      expect((await h.latest.customerSeats.revokeSeat(seat.id)).status).toBe("revoked");
    },
    async (h) => {
      const { seat } = await assigned(h);
      expect((await h.strict.customerSeats.revokeSeat({ seatId: seat.id })).status).toBe("revoked");
    },
  ),
  both(
    "customer-seats:resend_invitation",
    async (h) => {
      const { seat } = await assigned(h);
      expect(
        (await h.latest.customerSeats.resendInvitation(seat.id)).invitation_token_expires_at,
      ).not.toBeNull();
    },
    async (h) => {
      const { seat } = await assigned(h);
      await h.strict.customerSeats.resendInvitation({ seatId: seat.id });
    },
  ),
  both(
    "customer-seats:get_claim_info",
    async (h) => {
      const { seat } = await assigned(h);
      const info = await h.latest.customerSeats.getClaimInfo(await invitationOf(h, seat.id));
      expect(info).toMatchObject({ can_claim: true, customer_email: seat.email });
    },
    async (h) => {
      const { seat } = await assigned(h);
      expect(
        (
          await h.strict.customerSeats.getClaimInfo({
            invitationToken: await invitationOf(h, seat.id),
          })
        ).canClaim,
      ).toBe(true);
    },
  ),
  both(
    "customer-seats:claim_seat",
    async (h) => {
      const { seat } = await assigned(h);
      const claimed = await h.latest.customerSeats.claimSeat({
        invitation_token: await invitationOf(h, seat.id),
      });
      expect(claimed.seat.status).toBe("claimed");
      expect(claimed.customer_session_token).toMatch(/^polar_cst_/);
    },
    async (h) => {
      const { seat } = await assigned(h);
      const claimed = await h.strict.customerSeats.claimSeat({
        invitationToken: await invitationOf(h, seat.id),
      });
      expect(claimed.seat.member?.email).toBe(seat.email);
    },
  ),
  both(
    "customer_portal:seats:list_seats",
    async (h) => {
      const plan = await seatPlan(h);
      expect(
        (await plan.portal.listSeats({ subscription_id: plan.subscriptionId })).total_seats,
      ).toBe(1);
    },
    async (h) => {
      const plan = await seatPlan(h);
      expect(
        (
          await h.strict.customerPortal.seats.listSeats(plan.security, {
            subscriptionId: plan.subscriptionId,
          })
        ).totalSeats,
      ).toBe(1);
    },
  ),
  both(
    "customer_portal:seats:assign_seat",
    async (h) => {
      const plan = await seatPlan(h);
      expect(
        (
          await plan.portal.assignSeat({
            subscription_id: plan.subscriptionId,
            email: `${unique("p")}@example.com`,
          })
        ).status,
      ).toBe("pending");
    },
    async (h) => {
      const plan = await seatPlan(h);
      await h.strict.customerPortal.seats.assignSeat(plan.security, {
        subscriptionId: plan.subscriptionId,
        email: `${unique("q")}@example.com`,
      });
    },
  ),
  both(
    "customer_portal:seats:revoke_seat",
    async (h) => {
      const { portal, seat } = await assigned(h);
      expect((await portal.revokeSeat(seat.id)).revoked_at).not.toBeNull();
    },
    async (h) => {
      const { security, seat } = await assigned(h);
      await h.strict.customerPortal.seats.revokeSeat(security, { seatId: seat.id });
    },
  ),
  both(
    "customer_portal:seats:resend_invitation",
    async (h) => {
      const { portal, seat } = await assigned(h);
      expect((await portal.resendInvitation(seat.id)).status).toBe("pending");
    },
    async (h) => {
      const { security, seat } = await assigned(h);
      await h.strict.customerPortal.seats.resendInvitation(security, { seatId: seat.id });
    },
  ),
  both(
    "customer_portal:seats:list_claimed_subscriptions",
    async (h) => {
      // The seat holder is a customer of the organization too: its session lists the plan.
      const email = `${unique("holder")}@example.com`;
      const holder = await h.latest.customers.create({ email });
      const plan = await seatPlan(h);
      await h.latest.customerSeats.assignSeat({
        subscription_id: plan.subscriptionId,
        email,
        immediate_claim: true,
      });
      const session = await h.latest.customerSessions.create({ customer_id: holder.id });
      const page = await createPolar({
        accessToken: session.token,
        baseUrl: h.url,
      }).customerPortal.seats.listClaimedSubscriptions();
      expect(page.items.map((s) => s.id)).toEqual([plan.subscriptionId]);
    },
    async (h) => {
      const plan = await seatPlan(h);
      const page = await h.strict.customerPortal.seats.listClaimedSubscriptions(plan.security, {});
      expect(page.result.items).toEqual([]);
    },
  ),
];
