import type { EmulatorContext } from "../../context.js";
import { invalid, notFound } from "../../http/errors.js";
import { paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso } from "../../ids.js";
import { metadataMatches } from "../metadata-filter.js";
import { organizationFilterAdmits, organizationForCreate, organizationOf } from "../scope.js";
import { deleteCustomer } from "./delete.js";
import { customerRead } from "./read.js";
import {
  assertUnique,
  createCustomer,
  customers,
  findCustomer,
  findCustomerByExternalId,
  type CustomerRecord,
} from "./store.js";

const byId = (req: OperationRequest, ctx: EmulatorContext) => {
  const record = findCustomer(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!record) throw notFound();
  return record;
};

const byExternalId = (req: OperationRequest, ctx: EmulatorContext) => {
  const record = findCustomerByExternalId(
    ctx,
    organizationOf(req.principal),
    req.path.external_id ?? "",
  );
  if (!record) throw notFound();
  return record;
};

const UPDATABLE = ["email", "name", "billing_address", "tax_id", "locale", "metadata"] as const;

/** Polar's update rules: unique email, external_id settable once, type only upgraded. */
function update(
  ctx: EmulatorContext,
  record: CustomerRecord,
  body: Record<string, unknown>,
  allowExternalId: boolean,
): CustomerRecord {
  const updated: CustomerRecord = { ...record, modified_at: iso(ctx.clock.now()) };
  if ("billing_address" in body && body.billing_address === null && record.billing_address)
    throw invalid(
      ["body", "billing_address"],
      "Customer billing address cannot be reset to null once set.",
      null,
    );
  const patch: Record<string, unknown> = updated;
  for (const field of UPDATABLE) {
    if (field in body && !(field === "email" && body.email === null)) patch[field] = body[field];
  }
  if (body.email && body.email !== record.email) updated.email_verified = false;
  if (allowExternalId && "external_id" in body && body.external_id !== record.external_id) {
    if (record.external_id !== null)
      throw invalid(
        ["body", "external_id"],
        "Customer external ID cannot be updated once set.",
        body.external_id,
      );
    updated.external_id = (body.external_id as string | null) ?? null;
  }
  if (body.type === "team") updated.type = "team";
  if (body.type === "individual" && record.type === "team")
    throw invalid(["body", "type"], "Customer type cannot be downgraded from team.", body.type);
  assertUnique(ctx, record.organization_id, updated, record.id);
  return ctx.store.transaction(() => {
    customers(ctx).put(updated);
    ctx.bus.emit("customer.updated", { customerId: updated.id });
    return updated;
  });
}

/** Soft delete, as Polar: subscriptions canceled at once, benefits revoked (see delete.ts). */
function remove(ctx: EmulatorContext, record: CustomerRecord, anonymize: boolean): undefined {
  deleteCustomer(ctx, record, anonymize);
  return undefined;
}

export const customerHandlers: OperationHandlers = {
  "customers:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const q = typeof req.query.query === "string" ? req.query.query.toLowerCase() : undefined;
    const email = typeof req.query.email === "string" ? req.query.email.toLowerCase() : undefined;
    const items = customers(ctx)
      .byOrganization(organizationId)
      .filter((c) => !c.deleted_at)
      .filter((c) => !email || c.email?.toLowerCase() === email)
      .filter(
        (c) =>
          !q ||
          [c.email, c.name, c.billing_name].some((v) => v?.toLowerCase().includes(q)) ||
          c.external_id?.toLowerCase().startsWith(q),
      )
      .filter((c) => metadataMatches(c.metadata, req.query.metadata, req.url));
    const sorted = sortBy(items, req.query.sorting, {
      created_at: (c) => c.created_at,
      email: (c) => c.email,
      name: (c) => c.name,
    });
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map((c) => customerRead(ctx, c)) };
  },
  "customers:create": (req, ctx) =>
    customerRead(
      ctx,
      createCustomer(ctx, organizationForCreate(req.principal, req.body), req.body),
    ),
  "customers:get": (req, ctx) => customerRead(ctx, byId(req, ctx)),
  "customers:get_external": (req, ctx) => customerRead(ctx, byExternalId(req, ctx)),
  "customers:update": (req, ctx) => customerRead(ctx, update(ctx, byId(req, ctx), req.body, true)),
  "customers:update_external": (req, ctx) =>
    customerRead(ctx, update(ctx, byExternalId(req, ctx), req.body, false)),
  "customers:delete": (req, ctx) => remove(ctx, byId(req, ctx), req.query.anonymize === true),
  "customers:delete_external": (req, ctx) =>
    remove(ctx, byExternalId(req, ctx), req.query.anonymize === true),
};
