import { describe, expect, it } from "vitest";
import { connect, fakePolar, json, textOf } from "./helpers.js";

type Options = Parameters<typeof connect>[0];

async function listed(options: Options): Promise<string[]> {
  const session = await connect(options);
  const names = (await session.client.listTools()).tools.map((t) => t.name);
  await session.close();
  return names;
}

/** Calls `name` in static mode and through call_operation in dynamic mode; nothing may reach Polar. */
async function expectRefusedInBothModes(
  options: Options,
  name: string,
  args: Record<string, unknown>,
  reason: RegExp,
) {
  for (const mode of ["static", "dynamic"] as const) {
    const polar = fakePolar(() => json(200, {}));
    const session = await connect({ ...options, mode, fetch: polar.fetch });
    const result =
      mode === "static"
        ? await session.call(name, args)
        : await session.call("call_operation", { name, arguments: args });
    expect(result.isError, `${mode} ${name}`).toBe(true);
    expect(textOf(result)).toMatch(reason);
    expect(polar.requests).toHaveLength(0);
    if (mode === "dynamic") {
      const described = await session.call("describe_operation", { name });
      expect(described.isError).toBe(true);
      const search = await session.call("search_operations", {
        query: name.replace(/_/g, " "),
        limit: 50,
      });
      const found = (search.structuredContent as { operations: { name: string }[] }).operations.map(
        (o) => o.name,
      );
      expect(found).not.toContain(name);
    }
    await session.close();
  }
}

describe("filters", () => {
  it("methods=read lists only get/list operations", async () => {
    const session = await connect({ methods: ["read"], mode: "static" });
    const { tools } = await session.client.listTools();
    await session.close();
    const names = tools.map((t) => t.name);
    expect(names.length).toBeGreaterThan(60);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(names).toContain("customers_list");
    expect(names).not.toContain("customers_create");
    expect(names).not.toContain("license_keys_validate");
    await expectRefusedInBothModes(
      { methods: ["read"] },
      "customers_create",
      { email: "a@b.co" },
      /write operation/,
    );
  });

  it("methods=write,custom excludes reads; custom holds validate and ingest", async () => {
    const names = await listed({ methods: ["custom"] });
    expect(names).toContain("license_keys_validate");
    expect(names).toContain("events_ingest");
    expect(names).not.toContain("customers_create");
    const write = await listed({ methods: ["write"] });
    expect(write).toContain("customers_create");
    expect(write).toContain("customers_delete");
    expect(write).not.toContain("customers_list");
    await expectRefusedInBothModes({ methods: ["write"] }, "customers_list", {}, /read operation/);
  });

  it("tags keep only operations with one of the tags (- and _ alike)", async () => {
    const names = await listed({ tags: ["license_keys"] });
    expect(names.sort()).toEqual(
      [
        "license_keys_activate",
        "license_keys_deactivate",
        "license_keys_get",
        "license_keys_get_activation",
        "license_keys_list",
        "license_keys_update",
        "license_keys_validate",
        "customer_portal_license_keys_activate",
        "customer_portal_license_keys_deactivate",
        "customer_portal_license_keys_validate",
      ].sort(),
    );
    expect(await listed({ tags: ["checkout-links"] })).toEqual(
      await listed({ tags: ["checkout_links"] }),
    );
    await expectRefusedInBothModes(
      { tags: ["license_keys"] },
      "customers_list",
      {},
      /tags setting/,
    );
  });

  it("tools lists exactly the named tools; exclude-tools wins over tools", async () => {
    expect(await listed({ tools: ["customers_list", "customers:get"] })).toEqual([
      "customers_get",
      "customers_list",
    ]);
    expect(
      await listed({ tools: ["customers_list", "customers_get"], excludeTools: ["customers_get"] }),
    ).toEqual(["customers_list"]);
    expect(await listed({ excludeTools: ["customers_delete"], mode: "static" })).toHaveLength(137);
    await expectRefusedInBothModes(
      { tools: ["customers_list"] },
      "customers_get",
      { id: "x" },
      /tools setting/,
    );
    await expectRefusedInBothModes(
      { tools: ["customers_list", "customers_get"], excludeTools: ["customers_get"] },
      "customers_get",
      { id: "x" },
      /exclude-tools/,
    );
  });

  it("read-only overrides every other filter", async () => {
    const names = await listed({
      readOnly: true,
      tools: ["customers_list", "customers_delete"],
      methods: ["write"],
    });
    expect(names).toEqual([]);
    const all = await listed({ readOnly: true, all: true });
    expect(all).toHaveLength(93);
    const session = await connect({ readOnly: true });
    const { tools } = await session.client.listTools();
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    await session.close();
    await expectRefusedInBothModes(
      { readOnly: true, tools: ["customers_delete"] },
      "customers_delete",
      { id: "x" },
      /read-only/,
    );
    await expectRefusedInBothModes(
      { readOnly: true },
      "customers_create",
      { email: "a@b.co" },
      /read-only/,
    );
  });

  it("an operation the credential cannot call is not listed and is refused", async () => {
    await expectRefusedInBothModes(
      {},
      "customer_portal_subscriptions_list",
      {},
      /customer session token/,
    );
  });

  it("with all, an operation the credential cannot call is listed but refused before any request", async () => {
    const polar = fakePolar();
    const session = await connect({ all: true, fetch: polar.fetch });
    const result = await session.call("customer_portal_subscriptions_list", {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /needs a customer session token \(polar_cst_…\) or a member session token \(polar_mst_…\); this server holds an organization access token/,
    );
    expect(polar.requests).toHaveLength(0);
    await session.close();
  });

  it("an unknown tool name is a protocol error in static mode and an isError in dynamic mode", async () => {
    const polar = fakePolar(() => json(200, {}));
    const staticSession = await connect({ fetch: polar.fetch });
    await expect(staticSession.call("not_a_tool", {})).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining("Unknown tool: not_a_tool"),
    });
    await staticSession.close();
    const dynamicSession = await connect({ mode: "dynamic", fetch: polar.fetch });
    const result = await dynamicSession.call("call_operation", {
      name: "not_a_tool",
      arguments: {},
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Unknown tool "not_a_tool"/);
    expect(polar.requests).toHaveLength(0);
    await dynamicSession.close();
  });
});
