import type { EmulatorContext } from "../../context.js";
import { validationError, type ValidationIssue } from "../../http/errors.js";
import { iso, newId } from "../../ids.js";
import type { Collection } from "../../store/collection.js";

export type Metadata = Record<string, string | number | boolean>;

/** A customer as stored: the fields of Polar's `Customer` schema the emulator models. */
export interface CustomerRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  external_id: string | null;
  email: string | null;
  email_verified: boolean;
  name: string | null;
  billing_name: string | null;
  billing_address: Record<string, unknown> | null;
  tax_id: unknown;
  locale: string | null;
  type: "individual" | "team";
  metadata: Metadata;
  /** Soft delete: a deleted customer disappears from every read but keeps its id. */
  deleted_at: string | null;
  avatar_url: string | null;
  [key: string]: unknown;
}

/** The customers table; `external_id` and `email` are looked up on every ingest and create. */
export const customers = (ctx: EmulatorContext): Collection<CustomerRecord> =>
  ctx.store.collection<CustomerRecord>("customers", { indexes: ["external_id", "email"] });

/** A live (not deleted) customer of the organization, by id. */
export function findCustomer(
  ctx: EmulatorContext,
  organizationId: string,
  id: string,
): CustomerRecord | undefined {
  const record = customers(ctx).get(id);
  return record && record.organization_id === organizationId && !record.deleted_at
    ? record
    : undefined;
}

/** A live customer of the organization, by the id it has in the merchant's system. */
export function findCustomerByExternalId(
  ctx: EmulatorContext,
  organizationId: string,
  externalId: string,
): CustomerRecord | undefined {
  return customers(ctx)
    .findBy("external_id", externalId)
    .find((c) => c.organization_id === organizationId && !c.deleted_at);
}

/** Email uniqueness is case-insensitive in Polar; emails are stored as given. */
function findCustomerByEmail(
  ctx: EmulatorContext,
  organizationId: string,
  email: string,
): CustomerRecord | undefined {
  const lower = email.toLowerCase();
  const candidates = customers(ctx).findBy("email", email);
  const exact = candidates.find((c) => c.organization_id === organizationId && !c.deleted_at);
  if (exact || lower === email) return exact;
  return customers(ctx)
    .byOrganization(organizationId)
    .find((c) => !c.deleted_at && c.email?.toLowerCase() === lower);
}

export interface CustomerInput {
  email?: string | null;
  name?: string | null;
  external_id?: string | null;
  metadata?: Metadata;
  type?: "individual" | "team" | null;
  billing_address?: Record<string, unknown> | null;
  locale?: string | null;
}

/** Polar's uniqueness checks; both problems are reported together, as Polar does. */
export function assertUnique(
  ctx: EmulatorContext,
  organizationId: string,
  input: { email?: string | null; external_id?: string | null },
  selfId?: string,
): void {
  const issues: ValidationIssue[] = [];
  if (input.email) {
    const other = findCustomerByEmail(ctx, organizationId, input.email);
    if (other && other.id !== selfId)
      issues.push({
        type: "value_error",
        loc: ["body", "email"],
        msg: "A customer with this email address already exists.",
        input: input.email,
      });
  }
  if (input.external_id) {
    const other = findCustomerByExternalId(ctx, organizationId, input.external_id);
    if (other && other.id !== selfId)
      issues.push({
        type: "value_error",
        loc: ["body", "external_id"],
        msg: "A customer with this external ID already exists.",
        input: input.external_id,
      });
  }
  if (issues.length > 0) throw validationError(issues);
}

/** Creates a customer after Polar's uniqueness checks; emits `customer.created`. */
export function createCustomer(
  ctx: EmulatorContext,
  organizationId: string,
  input: CustomerInput,
): CustomerRecord {
  assertUnique(ctx, organizationId, input);
  const record: CustomerRecord = {
    id: newId(),
    organization_id: organizationId,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    external_id: input.external_id ?? null,
    email: input.email ?? null,
    email_verified: false,
    name: input.name ?? null,
    billing_name: null,
    billing_address: input.billing_address ?? null,
    tax_id: null,
    locale: input.locale ?? null,
    type: input.type ?? "individual",
    metadata: input.metadata ?? {},
    deleted_at: null,
    avatar_url: null,
    first_user_event_at: null,
    default_payment_method_id: null,
  };
  return ctx.store.transaction(() => {
    customers(ctx).insert(record);
    ctx.bus.emit("customer.created", { customerId: record.id });
    return record;
  });
}
