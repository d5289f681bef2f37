import type { EmulatorContext } from "../../context.js";
import type { Principal } from "../../http/auth.js";
import { notFound, unauthorized } from "../../http/errors.js";
import { customers, type CustomerRecord } from "../customers/store.js";

/** The customer a customer-session token acts for (401 for any other caller). */
export function portalCustomer(ctx: EmulatorContext, principal: Principal): CustomerRecord {
  if (principal.kind !== "customer") throw unauthorized();
  const customer = customers(ctx).get(principal.customerId);
  if (!customer || customer.deleted_at) throw unauthorized();
  return customer;
}

/** A record of the session's customer, else 404 (never another customer's). */
export function owned<T extends { customer_id: string }>(
  record: T | undefined,
  customer: CustomerRecord,
): T {
  if (!record || record.customer_id !== customer.id) throw notFound();
  return record;
}
