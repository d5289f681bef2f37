import type { Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import { invalid, notFound } from "../http/errors.js";
import { isUuid4 } from "../ids.js";
import {
  grantBenefit,
  revokeBenefit,
  revokeBenefitInEveryScope,
  type GrantTarget,
} from "../resources/benefit-grants/service.js";
import { benefitGrantRead } from "../resources/benefit-grants/store.js";
import { orders } from "../resources/orders/store.js";
import { subscriptions } from "../resources/subscriptions/store.js";
import { readControlBody } from "./body.js";

const uuidOrInvalid = (body: Record<string, unknown>, field: string, optional: boolean) => {
  const value = body[field];
  if (optional && (value === undefined || value === null)) return null;
  if (typeof value !== "string" || !isUuid4(value))
    throw invalid(["body", field], "Input should be a valid UUID", value ?? null, "uuid_parsing");
  return value;
};

/**
 * `{ customer_id, benefit_id }`, optionally with the `subscription_id` or `order_id` of the
 * customer whose grant is meant; without either, the standalone scope.
 */
function target(
  ctx: EmulatorContext,
  body: Record<string, unknown>,
): GrantTarget & { scoped: boolean } {
  const customerId = uuidOrInvalid(body, "customer_id", false)!;
  const benefitId = uuidOrInvalid(body, "benefit_id", false)!;
  const subscriptionId = uuidOrInvalid(body, "subscription_id", true);
  const orderId = uuidOrInvalid(body, "order_id", true);
  if (subscriptionId && subscriptions(ctx).get(subscriptionId)?.customer_id !== customerId)
    throw notFound("Subscription not found.");
  if (orderId && orders(ctx).get(orderId)?.customer_id !== customerId)
    throw notFound("Order not found.");
  return {
    customerId,
    benefitId,
    subscriptionId,
    orderId,
    scoped: subscriptionId !== null || orderId !== null,
  };
}

/**
 * Grants and revokes benefits by hand, with the same grant service Polar's commerce
 * lifecycle uses (license keys issued, credits credited). A grant without a subscription or
 * order is a standalone grant (Polar's manual grants): idempotent per (customer, benefit)
 * among standalone grants, beside any grant a purchase gave. A revoke names a scope, or
 * without one takes the benefit away in every scope.
 */
export function registerGrantControlRoutes(app: Hono, ctx: EmulatorContext): void {
  app.post("/__emulator/benefit-grants", async (c) => {
    const grant = grantBenefit(ctx, target(ctx, await readControlBody(c.req.raw)));
    return c.json(benefitGrantRead(ctx, grant), 201);
  });

  app.post("/__emulator/benefit-grants/revoke", async (c) => {
    const { scoped, ...scope } = target(ctx, await readControlBody(c.req.raw));
    const grant = scoped
      ? revokeBenefit(ctx, scope)
      : revokeBenefitInEveryScope(ctx, scope.customerId, scope.benefitId);
    if (!grant) throw notFound("This benefit was never granted to this customer.");
    return c.json(benefitGrantRead(ctx, grant));
  });
}
