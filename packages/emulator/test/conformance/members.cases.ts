import { createPolar } from "@polar-sh/sdk/2026-10";
import { Polar } from "polar-sdk-strict";
import { expect } from "vitest";
import type { Conformance, ConformanceCase } from "./harness.js";

type Side = (h: Conformance) => Promise<void>;
const both = (operationId: string, latest: Side, strict: Side): ConformanceCase => ({
  operationId,
  latest,
  strict,
});

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

/** A team customer (with an external id) and one member (with an external id). */
async function team(h: Conformance) {
  const externalId = unique("team");
  const customer = await h.latest.customers.create({
    email: `${externalId}@example.com`,
    name: "Team",
    type: "team",
    external_id: externalId,
  });
  const member = await h.latest.customers.members.create(customer.id, {
    email: `${unique("m")}@example.com`,
    name: "Member",
    external_id: unique("member"),
    role: "member",
  });
  return { customer, member, externalId };
}

/** Portal clients acting for the team through a customer session. */
async function portal(h: Conformance) {
  const t = await team(h);
  const session = await h.latest.customerSessions.create({ customer_id: t.customer.id });
  return {
    ...t,
    latest: createPolar({ accessToken: session.token, baseUrl: h.url }).customerPortal.members,
    strict: new Polar({ accessToken: session.token, serverURL: h.url }).customerPortal.members,
  };
}

export const cases: ConformanceCase[] = [
  both(
    "members:list_members",
    // @polar-sh/sdk 1.x has no organization-wide member list: plain HTTP on its side.
    async (h) => {
      const { customer, member } = await team(h);
      const res = await fetch(`${h.url}/v1/members/?customer_id=${customer.id}&role=member`, {
        headers: { authorization: `Bearer ${h.seed.accessToken}` },
      });
      expect(((await res.json()) as { items: { id: string }[] }).items.map((m) => m.id)).toEqual([
        member.id,
      ]);
    },
    async (h) => {
      const { externalId, member } = await team(h);
      const page = await h.strict.members.listMembers({
        externalCustomerId: externalId,
        role: "member",
      });
      expect(page.result.items.map((m) => m.id)).toEqual([member.id]);
    },
  ),
  both(
    "customers:members:create",
    async (h) => {
      const { member } = await team(h);
      expect(member.role).toBe("member");
    },
    async (h) => {
      const { customer } = await team(h);
      const created = await h.strict.customers.members.create({
        id: customer.id,
        memberCreateFromCustomer: { email: `${unique("s")}@example.com`, role: "billing_manager" },
      });
      expect(created.role).toBe("billing_manager");
    },
  ),
  both(
    "customers:members:create_external",
    async (h) => {
      const { externalId, customer } = await team(h);
      const created = await h.latest.customers.members.createExternal(externalId, {
        email: `${unique("x")}@example.com`,
      });
      expect(created.customer_id).toBe(customer.id);
    },
    async (h) => {
      const { externalId } = await team(h);
      await h.strict.customers.members.createExternal({
        externalId,
        memberCreateFromCustomer: { email: `${unique("y")}@example.com` },
      });
    },
  ),
  both(
    "customers:members:get",
    async (h) => {
      const { customer, member } = await team(h);
      expect((await h.latest.customers.members.get(customer.id, member.id)).email).toBe(
        member.email,
      );
    },
    async (h) => {
      const { customer, member } = await team(h);
      expect(
        (await h.strict.customers.members.get({ id: customer.id, memberId: member.id })).id,
      ).toBe(member.id);
    },
  ),
  both(
    "customers:members:get_external",
    async (h) => {
      const { externalId, member } = await team(h);
      expect(
        (await h.latest.customers.members.getExternal(externalId, member.external_id!)).id,
      ).toBe(member.id);
    },
    async (h) => {
      const { externalId, member } = await team(h);
      expect(
        (
          await h.strict.customers.members.getExternal({
            externalId,
            memberExternalId: member.external_id!,
          })
        ).id,
      ).toBe(member.id);
    },
  ),
  both(
    "customers:members:update",
    async (h) => {
      const { customer, member } = await team(h);
      expect(
        (await h.latest.customers.members.update(customer.id, member.id, { name: "Renamed" })).name,
      ).toBe("Renamed");
    },
    async (h) => {
      const { customer, member } = await team(h);
      expect(
        (
          await h.strict.customers.members.update({
            id: customer.id,
            memberId: member.id,
            memberUpdate: { role: "billing_manager" },
          })
        ).role,
      ).toBe("billing_manager");
    },
  ),
  both(
    "customers:members:update_external",
    async (h) => {
      const { externalId, member } = await team(h);
      expect(
        (
          await h.latest.customers.members.updateExternal(externalId, member.external_id!, {
            name: "Ext",
          })
        ).name,
      ).toBe("Ext");
    },
    async (h) => {
      const { externalId, member } = await team(h);
      await h.strict.customers.members.updateExternal({
        externalId,
        memberExternalId: member.external_id!,
        memberUpdate: { name: "Ext2" },
      });
    },
  ),
  both(
    "customers:members:delete",
    async (h) => {
      const { customer, member } = await team(h);
      await h.latest.customers.members.delete(customer.id, member.id);
    },
    async (h) => {
      const { customer, member } = await team(h);
      await h.strict.customers.members.delete({ id: customer.id, memberId: member.id });
      await expect(
        h.strict.customers.members.get({ id: customer.id, memberId: member.id }),
      ).rejects.toMatchObject({ statusCode: 404 });
    },
  ),
  both(
    "customers:members:delete_external",
    async (h) => {
      const { externalId, member } = await team(h);
      await h.latest.customers.members.deleteExternal(externalId, member.external_id!);
    },
    async (h) => {
      const { externalId, member } = await team(h);
      await h.strict.customers.members.deleteExternal({
        externalId,
        memberExternalId: member.external_id!,
      });
    },
  ),
  both(
    "customer_portal:members:list_members",
    async (h) => {
      const p = await portal(h);
      expect((await p.latest.listMembers()).items.map((m) => m.id)).toContain(p.member.id);
    },
    async (h) => {
      const p = await portal(h);
      expect((await p.strict.listMembers({})).result.items).toHaveLength(2);
    },
  ),
  both(
    "customer_portal:members:add_member",
    async (h) => {
      const p = await portal(h);
      expect(
        (await p.latest.addMember({ email: `${unique("p")}@example.com`, role: "member" })).role,
      ).toBe("member");
    },
    async (h) => {
      const p = await portal(h);
      await p.strict.addMember({ email: `${unique("q")}@example.com`, name: "Q" });
    },
  ),
  both(
    "customer_portal:members:update_member",
    async (h) => {
      const p = await portal(h);
      expect((await p.latest.updateMember(p.member.id, { role: "billing_manager" })).role).toBe(
        "billing_manager",
      );
    },
    async (h) => {
      const p = await portal(h);
      expect(
        (
          await p.strict.updateMember({
            id: p.member.id,
            customerPortalMemberUpdate: { name: "N" },
          })
        ).name,
      ).toBe("N");
    },
  ),
  both(
    "customer_portal:members:remove_member",
    async (h) => {
      const p = await portal(h);
      await p.latest.removeMember(p.member.id);
    },
    async (h) => {
      const p = await portal(h);
      await p.strict.removeMember({ id: p.member.id });
    },
  ),
];
