import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import type { Collection } from "../../store/collection.js";
import type { CustomerRecord } from "../customers/store.js";
import { invalid, notPermitted } from "../../http/errors.js";
import { publishWebhook } from "../webhooks/publish.js";

export type MemberRole = "owner" | "billing_manager" | "member";

/** A person acting for a (team) customer: Polar's Member. */
export interface MemberRecord {
  id: string;
  organization_id: string;
  customer_id: string;
  created_at: string;
  modified_at: string | null;
  deleted_at: string | null;
  email: string;
  name: string | null;
  external_id: string | null;
  role: MemberRole;
}

export const members = (ctx: EmulatorContext): Collection<MemberRecord> =>
  ctx.store.collection<MemberRecord>("members", { indexes: ["customer_id"] });

const live = (ctx: EmulatorContext, customerId: string): MemberRecord[] =>
  members(ctx)
    .findBy("customer_id", customerId)
    .filter((m) => m.deleted_at === null);

/**
 * A customer's members, its owner first made if it has none: Polar creates the owner
 * member (the customer's email, name and external id) with the customer when the member
 * model is on, which the emulator has on for every organization; here it is made on first
 * use, so customers created before have one too.
 */
export function liveMembers(ctx: EmulatorContext, customer: CustomerRecord): MemberRecord[] {
  const current = live(ctx, customer.id);
  if (current.length > 0 || customer.deleted_at || !customer.email) return current;
  const owner = members(ctx).insert({
    id: newId(),
    organization_id: customer.organization_id,
    customer_id: customer.id,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    deleted_at: null,
    email: customer.email,
    name: customer.name,
    external_id: customer.external_id ?? null,
    role: "owner",
  });
  return [owner];
}

export const memberRead = (m: MemberRecord) => ({
  id: m.id,
  created_at: m.created_at,
  modified_at: m.modified_at,
  customer_id: m.customer_id,
  email: m.email,
  name: m.name,
  external_id: m.external_id,
  role: m.role,
});

/**
 * Polar's member_service.create: an individual customer has at most one member (403), an
 * email already a member returns that member (idempotent). The emulator enables the member
 * model for every organization (Polar gates it behind a feature setting).
 */
export function addMember(
  ctx: EmulatorContext,
  customer: CustomerRecord,
  input: {
    email: string;
    name?: string | null;
    external_id?: string | null;
    role?: MemberRole | null;
  },
): MemberRecord {
  const email = input.email.trim();
  const existing = liveMembers(ctx, customer);
  if (customer.type !== "team" && existing.length >= 1) {
    throw notPermitted(
      "Individual customers can only have one member (the owner). Upgrade to a team customer to add more members.",
    );
  }
  const same = existing.find((m) => m.email.toLowerCase() === email.toLowerCase());
  if (same) return same;
  if (input.external_id && existing.some((m) => m.external_id === input.external_id)) {
    throw invalid(
      ["body", "external_id"],
      "A member with this external ID already exists.",
      input.external_id,
    );
  }
  const member = members(ctx).insert({
    id: newId(),
    organization_id: customer.organization_id,
    customer_id: customer.id,
    created_at: iso(ctx.clock.now()),
    modified_at: null,
    deleted_at: null,
    email,
    name: input.name ?? null,
    external_id: input.external_id ?? null,
    role: input.role ?? "member",
  });
  publishWebhook(ctx, member.organization_id, "member.created", () => memberRead(member));
  return member;
}

/** Soft-deletes a member; never the only owner (Polar's guard). */
export function removeMember(
  ctx: EmulatorContext,
  member: MemberRecord,
  loc: (string | number)[] = ["path", "member_id"],
): void {
  if (member.role === "owner") {
    const owners = live(ctx, member.customer_id).filter((m) => m.role === "owner");
    if (owners.length <= 1) {
      throw invalid(loc, "Cannot delete the only owner. Transfer ownership first.", member.id);
    }
  }
  const deleted = members(ctx).put({ ...member, deleted_at: iso(ctx.clock.now()) });
  publishWebhook(ctx, deleted.organization_id, "member.deleted", () => memberRead(deleted));
}

export function updateMember(
  ctx: EmulatorContext,
  member: MemberRecord,
  body: { name?: string | null; email?: string | null; role?: MemberRole | null },
): MemberRecord {
  if (member.role === "owner" && body.role && body.role !== "owner") {
    const owners = live(ctx, member.customer_id).filter((m) => m.role === "owner");
    if (owners.length <= 1) {
      throw invalid(
        ["body", "role"],
        "Cannot change the role of the only owner. Transfer ownership first.",
        body.role,
      );
    }
  }
  const updated = members(ctx).put({
    ...member,
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.email ? { email: body.email.trim() } : {}),
    ...(body.role ? { role: body.role } : {}),
    modified_at: iso(ctx.clock.now()),
  });
  publishWebhook(ctx, updated.organization_id, "member.updated", () => memberRead(updated));
  return updated;
}
