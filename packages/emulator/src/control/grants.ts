import type { Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import { invalid, notFound } from "../http/errors.js";
import { isUuid4 } from "../ids.js";
import { grantBenefit, revokeBenefit } from "../resources/benefit-grants/service.js";
import { benefitGrantRead } from "../resources/benefit-grants/store.js";
import { readControlBody } from "./body.js";

function target(body: Record<string, unknown>): { customerId: string; benefitId: string } {
  for (const field of ["customer_id", "benefit_id"]) {
    const value = body[field];
    if (typeof value !== "string" || !isUuid4(value))
      throw invalid(["body", field], "Input should be a valid UUID", value ?? null, "uuid_parsing");
  }
  return { customerId: String(body.customer_id), benefitId: String(body.benefit_id) };
}

/**
 * Grants and revokes benefits by hand, standing in for Polar's commerce lifecycle
 * (subscriptions and orders) until the emulator has it: each call runs the same grant
 * service a paid order will, with the same effects (license keys issued, credits credited).
 */
export function registerGrantControlRoutes(app: Hono, ctx: EmulatorContext): void {
  app.post("/__emulator/benefit-grants", async (c) => {
    const grant = grantBenefit(ctx, target(await readControlBody(c.req.raw)));
    return c.json(benefitGrantRead(ctx, grant), 201);
  });

  app.post("/__emulator/benefit-grants/revoke", async (c) => {
    const grant = revokeBenefit(ctx, target(await readControlBody(c.req.raw)));
    if (!grant) throw notFound("This benefit was never granted to this customer.");
    return c.json(benefitGrantRead(ctx, grant));
  });
}
