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
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}@example.com`;

/** A fresh individual customer with a portal session. */
async function customer(h: Conformance) {
  const created = await h.latest.customers.create({ email: unique("portal") });
  const session = await h.latest.customerSessions.create({ customer_id: created.id });
  return {
    id: created.id,
    portal: createPolar({ accessToken: session.token, baseUrl: h.url }).customerPortal.customers,
    security: { customerSession: session.token },
  };
}

/** A requested email update and the token the emulator would have emailed. */
async function requested(h: Conformance) {
  const c = await customer(h);
  const email = unique("new");
  await c.portal.requestEmailUpdate({ email });
  const outbox = (await (await fetch(`${h.url}/__emulator/emails/email-updates`)).json()) as {
    customer_id: string;
    token: string;
  }[];
  return { ...c, email, token: outbox.find((e) => e.customer_id === c.id)!.token };
}

export const cases: ConformanceCase[] = [
  both(
    "customer_portal:customers:request_email_update",
    async (h) => {
      const { token } = await requested(h);
      expect(token).toMatch(/^polar_cev_/);
    },
    async (h) => {
      const c = await customer(h);
      await h.strict.customerPortal.customers.requestEmailUpdate(c.security, {
        email: unique("strict"),
      });
    },
  ),
  both(
    "customer_portal:customers:check_email_update",
    async (h) => {
      const { portal, token } = await requested(h);
      await portal.checkEmailUpdate({ token });
    },
    async (h) => {
      const { token } = await requested(h);
      await h.strict.customerPortal.customers.checkEmailUpdate({ token });
      await expect(
        h.strict.customerPortal.customers.checkEmailUpdate({ token: "polar_cev_wrong" }),
      ).rejects.toMatchObject({ statusCode: 401 });
    },
  ),
  both(
    "customer_portal:customers:verify_email_update",
    async (h) => {
      const { portal, token, email, id } = await requested(h);
      const verified = await portal.verifyEmailUpdate({ token });
      expect(verified.token).toMatch(/^polar_cst_/);
      expect((await h.latest.customers.get(id)).email).toBe(email);
    },
    async (h) => {
      const { token } = await requested(h);
      expect((await h.strict.customerPortal.customers.verifyEmailUpdate({ token })).token).toMatch(
        /^polar_cst_/,
      );
    },
  ),
  both(
    "customer_portal:customers:add_payment_method",
    async (h) => {
      const c = await customer(h);
      const added = await c.portal.addPaymentMethod({
        confirmation_token_id: "tok_mastercard",
        set_default: true,
        return_url: "https://example.com/back",
      });
      expect(added.status).toBe("succeeded");
      expect((await c.portal.listPaymentMethods()).items).toHaveLength(1);
    },
    async (h) => {
      const c = await customer(h);
      const added = await h.strict.customerPortal.customers.addPaymentMethod(c.security, {
        confirmationTokenId: "tok_visa",
        setDefault: false,
        returnUrl: "https://example.com/back",
      });
      expect(added.status).toBe("succeeded");
    },
  ),
  both(
    "customer_portal:customers:confirm_payment_method",
    async (h) => {
      const c = await customer(h);
      const pending = await c.portal.addPaymentMethod({
        confirmation_token_id: "tok_threeDSecure2Required",
        set_default: false,
        return_url: "https://example.com/back",
      });
      expect(pending.status).toBe("requires_action");
      const secret = "client_secret" in pending ? pending.client_secret : "";
      const confirmed = await c.portal.confirmPaymentMethod({
        setup_intent_id: secret.split("_secret_")[0]!,
        set_default: true,
      });
      expect(confirmed.status).toBe("succeeded");
    },
    async (h) => {
      const c = await customer(h);
      const pending = await h.strict.customerPortal.customers.addPaymentMethod(c.security, {
        confirmationTokenId: "tok_threeDSecure2Required",
        setDefault: false,
        returnUrl: "https://example.com/back",
      });
      const secret = pending.status === "requires_action" ? pending.clientSecret : "";
      await h.strict.customerPortal.customers.confirmPaymentMethod(c.security, {
        setupIntentId: secret.split("_secret_")[0]!,
        setDefault: false,
      });
    },
  ),
];
