import type { EmulatorContext } from "../../context.js";
import { findCustomer, findCustomerByExternalId, type CustomerRecord } from "../customers/store.js";
import { refOfCustomerId, refOfExternalId } from "./table.js";

/** The customer fields usage billing reads (the customers resource owns the rest). */
export type CustomerLike = CustomerRecord;

/** A live customer of the organization, by id. */
export const customerById = (
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): CustomerLike | undefined => findCustomer(ctx, organizationId, id);

/** A live customer of the organization, by the id it has in the merchant's system. */
export const customerByExternalId = (
  ctx: EmulatorContext,
  organizationId: string,
  externalId: string,
): CustomerLike | undefined => findCustomerByExternalId(ctx, organizationId, externalId);

/** Every `customer_ref` under which a customer's events may be stored. */
export function refsOfCustomer(customer: CustomerLike): string[] {
  const refs = [refOfCustomerId(customer.id)];
  if (customer.external_id) refs.push(refOfExternalId(customer.external_id));
  return refs;
}

/** The customer an event belongs to: by its customer_id, else by its external customer id. */
export function customerOfEvent(
  ctx: EmulatorContext,
  organizationId: string,
  customerId: string | null,
  externalCustomerId: string | null,
): CustomerLike | undefined {
  if (customerId) return customerById(ctx, organizationId, customerId);
  if (externalCustomerId) return customerByExternalId(ctx, organizationId, externalCustomerId);
  return undefined;
}
