import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

describe("members", () => {
  it("follows Polar's rules: an owner from the customer, one member for individuals, idempotent emails, the only owner kept", async () => {
    const { emulator, seed, call } = demoEmulator();
    // The demo customer is an individual: its owner is its one member.
    const individual = await call("POST", `/v1/customers/${seed.customerId}/members`, {
      body: { email: "second@example.com" },
    });
    expect(individual.status).toBe(403);
    expect(individual.body.detail).toContain("Individual customers can only have one member");
    const owners = await call("GET", `/v1/members/?customer_id=${seed.customerId}`);
    expect(owners.body.items).toHaveLength(1);
    expect(owners.body.items[0]).toMatchObject({ role: "owner", customer_id: seed.customerId });

    const team = await call("POST", "/v1/customers/", {
      body: { email: "team@example.com", name: "Team", type: "team" },
    });
    const first = await call("POST", `/v1/customers/${team.body.id}/members`, {
      body: { email: "a@example.com" },
    });
    const again = await call("POST", `/v1/customers/${team.body.id}/members`, {
      body: { email: "A@example.com" },
    });
    expect(again.body.id).toBe(first.body.id);
    const all = await call("GET", `/v1/members/?customer_id=${team.body.id}`);
    expect(all.body.items.map((m: { role: string }) => m.role).sort()).toEqual(["member", "owner"]);
    const owner = all.body.items.find((m: { role: string }) => m.role === "owner");
    const deleteOwner = await call("DELETE", `/v1/customers/${team.body.id}/members/${owner.id}`);
    expect(deleteOwner.status).toBe(422);
    expect(deleteOwner.body.detail[0].msg).toBe(
      "Cannot delete the only owner. Transfer ownership first.",
    );
    expect(
      (await call("DELETE", `/v1/customers/${team.body.id}/members/${first.body.id}`)).status,
    ).toBe(204);
    expect(
      (await call("GET", `/v1/customers/${team.body.id}/members/${first.body.id}`)).status,
    ).toBe(404);
    await emulator.close();
  });
});
