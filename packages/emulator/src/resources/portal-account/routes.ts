import { createHash, randomBytes } from "node:crypto";
import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { HttpError, invalid, notPermitted } from "../../http/errors.js";
import type { OperationHandlers } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import type { Collection } from "../../store/collection.js";
import { portalCustomer } from "../customer-portal/scope.js";
import { createCustomerSession } from "../customer-sessions/service.js";
import { customers } from "../customers/store.js";
import { organizations } from "../organizations/store.js";
import { cardOf, paymentMethods, type PaymentMethodRecord } from "../payments/store.js";

/** Polar's customer email verification: `polar_cev_` tokens, stored hashed, 30 minutes. */
const TOKEN_PREFIX = "polar_cev_";
const EMAIL_VERIFICATION_TTL_MS = 30 * 60_000;

interface EmailVerificationRecord {
  id: string;
  organization_id: string;
  customer_id: string;
  email: string;
  token_hash: string;
  expires_at: string;
  /** The token itself, kept only so the emulator's outbox can show the email it would send. */
  token: string;
}

/** A card setup waiting for the customer's authentication (Stripe's SetupIntent). */
interface SetupIntentRecord {
  id: string;
  organization_id: string;
  customer_id: string;
  card: ReturnType<typeof cardOf>;
  set_default: boolean;
}

const verifications = (ctx: EmulatorContext): Collection<EmailVerificationRecord> =>
  ctx.store.collection<EmailVerificationRecord>("customer_email_verifications", {
    indexes: ["token_hash", "customer_id"],
  });
const setupIntents = (ctx: EmulatorContext): Collection<SetupIntentRecord> =>
  ctx.store.collection<SetupIntentRecord>("setup_intents");

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

function validVerification(ctx: EmulatorContext, token: string): EmailVerificationRecord {
  const record = verifications(ctx).findBy("token_hash", hash(token))[0];
  if (!record || record.expires_at <= iso(ctx.clock.now())) {
    throw new HttpError(
      401,
      "InvalidCustomerEmailUpdate",
      "This email update request is invalid or has expired.",
    );
  }
  return record;
}

/** Stripe's test tokens: `tok_mastercard` a Mastercard …4444, `tok_chargeDeclined` declined, `tok_threeDSecure2Required` needs 3DS, others a Visa …4242. */
function cardOfToken(token: string) {
  if (/declin/i.test(token)) return { declined: true as const };
  const card = /mastercard/i.test(token) ? cardOf("5555555555554444") : cardOf("4242424242424242");
  return { declined: false as const, card, requiresAction: /threeDSecure|3ds/i.test(token) };
}

function saveMethod(
  ctx: EmulatorContext,
  organizationId: string,
  customerId: string,
  card: ReturnType<typeof cardOf>,
  setDefault: boolean,
): PaymentMethodRecord {
  const method = paymentMethods(ctx).insert({
    id: newId(),
    organization_id: organizationId,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    processor: "stripe",
    customer_id: customerId,
    type: "card",
    method_metadata: { ...card, wallet: null },
  });
  if (setDefault) {
    const customer = customers(ctx).get(customerId);
    if (customer) customers(ctx).put({ ...customer, default_payment_method_id: method.id });
  }
  return method;
}

export const portalAccountHandlers: OperationHandlers = {
  // Polar: only individual customers, only a different address; a new request replaces the last.
  "customer_portal:customers:request_email_update": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const settings = organizations(ctx).get(customer.organization_id)?.customer_portal_settings as
      { customer?: { allow_email_change?: boolean } } | undefined;
    if (settings?.customer?.allow_email_change === false)
      throw notPermitted("Email changes are not enabled for this organization.");
    const email = (req.body as { email: string }).email;
    if (customer.type === "team")
      throw invalid(["body", "email"], "Only individual customers can change their email.", email);
    if (customer.email?.toLowerCase() === email.toLowerCase())
      throw invalid(["body", "email"], "New email is the same as your current email.", email);
    for (const old of verifications(ctx).findBy("customer_id", customer.id))
      verifications(ctx).delete(old.id);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    verifications(ctx).insert({
      id: newId(),
      organization_id: customer.organization_id,
      customer_id: customer.id,
      email,
      token_hash: hash(token),
      expires_at: iso(new Date(ctx.clock.now().getTime() + EMAIL_VERIFICATION_TTL_MS)),
      token,
    });
    return {};
  },
  "customer_portal:customers:check_email_update": (req, ctx) => {
    validVerification(ctx, String(req.query.token ?? ""));
    return undefined;
  },
  "customer_portal:customers:verify_email_update": (req, ctx) => {
    const record = validVerification(ctx, (req.body as { token: string }).token);
    const taken = customers(ctx)
      .byOrganization(record.organization_id)
      .some(
        (c) =>
          c.id !== record.customer_id &&
          !c.deleted_at &&
          c.email?.toLowerCase() === record.email.toLowerCase(),
      );
    verifications(ctx).delete(record.id);
    if (taken)
      throw invalid(["body", "token"], "This email address is already in use.", record.email);
    const customer = customers(ctx).get(record.customer_id)!;
    const updated = customers(ctx).put({
      ...customer,
      email: record.email,
      email_verified: true,
      modified_at: iso(ctx.clock.now()),
    });
    ctx.bus.emit("customer.updated", { customerId: updated.id });
    return { token: createCustomerSession(ctx, updated, null).token };
  },
  // Stripe's SetupIntent with the card of a confirmation token: saved, or 3DS first.
  "customer_portal:customers:add_payment_method": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const body = req.body as { confirmation_token_id: string; set_default: boolean };
    const outcome = cardOfToken(body.confirmation_token_id);
    if (outcome.declined)
      throw new HttpError(400, "PaymentMethodSetupFailed", "Your card was declined.");
    if (outcome.requiresAction) {
      const intent = setupIntents(ctx).insert({
        id: `seti_${randomBytes(12).toString("hex")}`,
        organization_id: customer.organization_id,
        customer_id: customer.id,
        card: outcome.card,
        set_default: body.set_default,
      });
      return {
        status: "requires_action",
        client_secret: `${intent.id}_secret_${randomBytes(12).toString("hex")}`,
      };
    }
    const method = saveMethod(
      ctx,
      customer.organization_id,
      customer.id,
      outcome.card,
      body.set_default,
    );
    return { status: "succeeded", payment_method: ctx.shaper.shape("PaymentMethodCard", method) };
  },
  "customer_portal:customers:confirm_payment_method": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const body = req.body as { setup_intent_id: string; set_default: boolean };
    const intent = setupIntents(ctx).get(body.setup_intent_id);
    if (!intent || intent.customer_id !== customer.id)
      throw new HttpError(403, "CustomerNotReady", "No card setup to confirm for this customer.");
    setupIntents(ctx).delete(intent.id);
    const method = saveMethod(
      ctx,
      customer.organization_id,
      customer.id,
      intent.card,
      body.set_default || intent.set_default,
    );
    return { status: "succeeded", payment_method: ctx.shaper.shape("PaymentMethodCard", method) };
  },
};

/** `GET /__emulator/emails/email-updates`: the verification emails the emulator would send. */
export function registerPortalAccountControl(app: Hono, ctx: EmulatorContext): void {
  app.get("/__emulator/emails/email-updates", (c) =>
    c.json(
      verifications(ctx)
        .all()
        .filter((v) => v.expires_at > iso(ctx.clock.now()))
        .map((v) => ({
          customer_id: v.customer_id,
          email: v.email,
          token: v.token,
          expires_at: v.expires_at,
        })),
    ),
  );
}
