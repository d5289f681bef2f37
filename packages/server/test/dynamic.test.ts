import { describe, expect, it } from "vitest";
import { connect, fakePolar, json, textOf } from "./helpers.js";

describe("dynamic mode", () => {
  it("searches, describes and calls an operation", async () => {
    const polar = fakePolar((r) =>
      r.url.pathname === "/v1/license-keys/validate"
        ? json(200, { id: "lk", status: "granted" })
        : undefined,
    );
    const session = await connect({ mode: "dynamic", fetch: polar.fetch });
    const search = await session.call("search_operations", { query: "validate license key" });
    const names = (search.structuredContent as { operations: { name: string }[] }).operations.map(
      (o) => o.name,
    );
    expect(names[0]).toBe("license_keys_validate");
    const described = await session.call("describe_operation", { name: "license_keys_validate" });
    expect(described.structuredContent).toMatchObject({
      name: "license_keys_validate",
      method: "POST",
      path: "/v1/license-keys/validate",
      input_schema: { required: ["key", "organization_id"] },
    });
    const org = "1dbfc517-0bbf-4301-9ba8-555ca42b9737";
    const called = await session.call("call_operation", {
      name: "license_keys_validate",
      arguments: { key: "POLAR-KEY", organization_id: org },
    });
    expect(called.isError).toBeFalsy();
    expect(called.structuredContent).toEqual({ id: "lk", status: "granted" });
    expect(polar.requests[0]?.body).toEqual({ key: "POLAR-KEY", organization_id: org });
    await session.close();
  });

  it("filters search by tag and validates call arguments", async () => {
    const polar = fakePolar();
    const session = await connect({ mode: "dynamic", fetch: polar.fetch });
    const search = await session.call("search_operations", { tag: "meters", limit: 50 });
    const names = (search.structuredContent as { operations: { name: string }[] }).operations.map(
      (o) => o.name,
    );
    expect(names).toEqual([
      "meters_create",
      "meters_get",
      "meters_list",
      "meters_quantities",
      "meters_update",
    ]);
    const bad = await session.call("call_operation", { name: "meters_get", arguments: {} });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toContain("- id is required but missing.");
    const direct = await session.call("meters_get", { id: "x" });
    expect(textOf(direct)).toContain('call call_operation with {"name": "meters_get"');
    expect(polar.requests).toHaveLength(0);
    await session.close();
  });
});
