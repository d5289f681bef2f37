import { describe, expect, it } from "vitest";
import { ServerError } from "../src/index.js";
import { connect, ORG_TOKEN } from "./helpers.js";

async function listedNames(options: Parameters<typeof connect>[0]): Promise<string[]> {
  const session = await connect(options);
  try {
    return (await session.client.listTools()).tools.map((t) => t.name);
  } finally {
    await session.close();
  }
}

describe("static listing follows the credential", () => {
  it("lists 138 tools for an organization access token (125 + 13 public)", async () => {
    const names = await listedNames({ accessToken: ORG_TOKEN, mode: "static" });
    expect(names).toHaveLength(138);
    expect(names).toContain("customers_list");
    expect(names).toContain("customer_portal_license_keys_validate");
    expect(names).not.toContain("customer_portal_subscriptions_list");
    expect(names).not.toContain("organizations_create");
  });

  it("lists all 186 with all, whatever the credential", async () => {
    expect(await listedNames({ accessToken: ORG_TOKEN, all: true })).toHaveLength(186);
    expect(await listedNames({ accessToken: "polar_cst_customer", all: true })).toHaveLength(186);
  });

  it("lists what the document's security allows for other credentials", async () => {
    // customer_session: 36 portal operations (4 more accept member sessions only) + 13 public.
    const customer = await listedNames({ accessToken: "polar_cst_customer", mode: "static" });
    expect(customer).toHaveLength(49);
    expect(customer).toContain("customer_portal_subscriptions_list");
    expect(customer).not.toContain("customers_list");
    expect(await listedNames({ accessToken: "polar_mst_member", mode: "static" })).toHaveLength(53);
    expect(await listedNames({ accessToken: "polar_pat_personal", mode: "static" })).toHaveLength(
      125 + 7 + 13,
    );
    // 13 fit within every client's limit, so the default lists them all directly.
    expect(await listedNames({ accessToken: undefined })).toHaveLength(13);
  });

  it("gives identical names in identical order across runs", async () => {
    const first = await listedNames({ all: true });
    const second = await listedNames({ all: true });
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });

  it("lists three meta-tools in dynamic mode", async () => {
    const session = await connect({ mode: "dynamic" });
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      "search_operations",
      "describe_operation",
      "call_operation",
    ]);
    expect(tools[0]?.description).toContain("138 available");
    await session.close();
  });

  it("rejects unknown filter values when the server is created", async () => {
    await expect(connect({ tags: ["nope"] })).rejects.toThrow(ServerError);
    await expect(connect({ methods: ["delete"] })).rejects.toThrow(/read, write or custom/);
    await expect(connect({ tools: ["customersList"] })).rejects.toThrow(
      /Unknown tool "customersList"/,
    );
  });
});
