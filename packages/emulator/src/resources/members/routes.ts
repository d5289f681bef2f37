import type { EmulatorContext } from "../../context.js";
import { notFound, validationError } from "../../http/errors.js";
import { paginate, sortBy } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { portalCustomer } from "../customer-portal/scope.js";
import { findCustomer, findCustomerByExternalId, type CustomerRecord } from "../customers/store.js";
import { organizationOf } from "../scope.js";
import {
  addMember,
  liveMembers,
  memberRead,
  members,
  removeMember,
  updateMember,
  type MemberRecord,
} from "./store.js";

function customerById(req: OperationRequest, ctx: EmulatorContext): CustomerRecord {
  const customer = findCustomer(ctx, organizationOf(req.principal), req.path.id ?? "");
  if (!customer) throw notFound("Customer not found");
  return customer;
}

function customerByExternal(req: OperationRequest, ctx: EmulatorContext): CustomerRecord {
  const customer = findCustomerByExternalId(
    ctx,
    organizationOf(req.principal),
    req.path.external_id ?? "",
  );
  if (!customer) throw notFound("Customer not found");
  return customer;
}

function memberOf(
  ctx: EmulatorContext,
  customer: CustomerRecord,
  match: (m: MemberRecord) => boolean,
): MemberRecord {
  const member = liveMembers(ctx, customer).find(match);
  if (!member) throw notFound("Member not found");
  return member;
}

const byId = (req: OperationRequest) => (m: MemberRecord) => m.id === req.path.member_id;
const byExternal = (req: OperationRequest) => (m: MemberRecord) =>
  m.external_id === req.path.member_external_id;

const portalMember = (m: MemberRecord) => ({
  created_at: m.created_at,
  modified_at: m.modified_at,
  id: m.id,
  email: m.email,
  name: m.name,
  role: m.role,
});

export const memberHandlers: OperationHandlers = {
  "members:list_members": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    const { customer_id, external_customer_id, role } = req.query as Record<
      string,
      string | undefined
    >;
    let customerIds: Set<string> | undefined;
    if (customer_id !== undefined) customerIds = new Set([customer_id]);
    if (external_customer_id !== undefined) {
      const customer = findCustomerByExternalId(ctx, organizationId, external_customer_id);
      customerIds = new Set(customer ? [customer.id] : []);
    }
    // Owners exist from the customer's creation in Polar: make them for the customers asked about.
    for (const id of customerIds ?? []) {
      const customer = findCustomer(ctx, organizationId, id);
      if (customer) liveMembers(ctx, customer);
    }
    const items = members(ctx)
      .byOrganization(organizationId)
      .filter((m) => m.deleted_at === null)
      .filter((m) => !customerIds || customerIds.has(m.customer_id))
      .filter((m) => !role || m.role === role);
    const sorted = sortBy(items, req.query.sorting, { created_at: (m) => m.created_at }, [
      "-created_at",
    ]);
    const page = paginate(sorted, req.query);
    return { ...page, items: page.items.map(memberRead) };
  },
  "customers:members:create": (req, ctx) =>
    memberRead(addMember(ctx, customerById(req, ctx), req.body)),
  "customers:members:create_external": (req, ctx) =>
    memberRead(addMember(ctx, customerByExternal(req, ctx), req.body)),
  "customers:members:get": (req, ctx) =>
    memberRead(memberOf(ctx, customerById(req, ctx), byId(req))),
  "customers:members:get_external": (req, ctx) =>
    memberRead(memberOf(ctx, customerByExternal(req, ctx), byExternal(req))),
  "customers:members:update": (req, ctx) =>
    memberRead(updateMember(ctx, memberOf(ctx, customerById(req, ctx), byId(req)), req.body)),
  "customers:members:update_external": (req, ctx) =>
    memberRead(
      updateMember(ctx, memberOf(ctx, customerByExternal(req, ctx), byExternal(req)), req.body),
    ),
  "customers:members:delete": (req, ctx) => {
    removeMember(ctx, memberOf(ctx, customerById(req, ctx), byId(req)));
    return undefined;
  },
  "customers:members:delete_external": (req, ctx) => {
    removeMember(ctx, memberOf(ctx, customerByExternal(req, ctx), byExternal(req)));
    return undefined;
  },

  // The customer portal's team management: the session's customer's members.
  "customer_portal:members:list_members": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const page = paginate(liveMembers(ctx, customer), req.query);
    return { ...page, items: page.items.map(portalMember) };
  },
  "customer_portal:members:add_member": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    if (customer.type !== "team") {
      throw validationError([
        {
          type: "value_error",
          loc: ["body"],
          msg: "Only team customers can add members.",
          input: req.body,
        },
      ]);
    }
    return portalMember(addMember(ctx, customer, req.body));
  },
  "customer_portal:members:update_member": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const member = liveMembers(ctx, customer).find((m) => m.id === req.path.id);
    if (!member) throw notFound("Member not found");
    const body = req.body as {
      name?: string | null;
      role?: "owner" | "billing_manager" | "member" | null;
    };
    return portalMember(
      updateMember(ctx, member, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.role ? { role: body.role } : {}),
      }),
    );
  },
  "customer_portal:members:remove_member": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const member = liveMembers(ctx, customer).find((m) => m.id === req.path.id);
    if (!member) throw notFound("Member not found");
    removeMember(ctx, member, ["path", "id"]);
    return undefined;
  },
};
