import { describe, expect, it } from "vitest";
import {
  buildToolCatalog,
  CLIENT_TOOL_LIMIT,
  DEFAULT_TOOLSET,
  DYNAMIC_TOOL_NAMES,
  ServerError,
} from "../src/index.js";
import { connect, fakePolar, json, loadSpec, ORG_TOKEN, textOf } from "./helpers.js";

async function listed(options: Parameters<typeof connect>[0]): Promise<string[]> {
  const session = await connect(options);
  try {
    return (await session.client.listTools()).tools.map((t) => t.name);
  } finally {
    await session.close();
  }
}

const META = Object.values(DYNAMIC_TOOL_NAMES);

describe("default listing: within every client's limits, reaching every operation", () => {
  it("lists the hero operations and the meta-tools within Cursor's 40 for an organization token", async () => {
    const names = await listed({ accessToken: ORG_TOKEN });
    expect(names.length).toBeLessThanOrEqual(CLIENT_TOOL_LIMIT);
    // Cursor keeps the first 40 by name: every tool of the default listing survives.
    expect([...names].sort().slice(0, 40)).toEqual([...names].sort());
    for (const hero of [
      "customers_list",
      "customers_get",
      "subscriptions_list",
      "subscriptions_update",
      "subscriptions_revoke",
      "benefit_grants_list",
      "checkouts_create",
      "license_keys_validate",
      "events_ingest",
      "benefits_create",
      "orders_list",
    ]) {
      expect(names, hero).toContain(hero);
    }
    expect(names).toEqual(expect.arrayContaining(META));
    expect(names).not.toContain("webhooks_list_webhook_endpoints");
  });

  it("reaches an operation outside the listing through call_operation, and search finds it", async () => {
    const polar = fakePolar((r) =>
      r.url.pathname === "/v1/webhooks/endpoints"
        ? json(200, { items: [], pagination: { total_count: 0, max_page: 1 } })
        : undefined,
    );
    const session = await connect({ accessToken: ORG_TOKEN, fetch: polar.fetch });
    const search = await session.call(DYNAMIC_TOOL_NAMES.search, { query: "webhook endpoints" });
    expect(textOf(search)).toContain("webhooks_list_webhook_endpoints");
    const result = await session.call(DYNAMIC_TOOL_NAMES.call, {
      name: "webhooks_list_webhook_endpoints",
      arguments: {},
    });
    expect(result.isError).toBeFalsy();
    expect(polar.requests.map((r) => r.url.pathname)).toEqual(["/v1/webhooks/endpoints"]);
    await session.close();
  });

  it("every operation the credential allows is listed directly or reachable by the meta-tools", async () => {
    const every = await listed({ accessToken: ORG_TOKEN, mode: "static" });
    const session = await connect({ accessToken: ORG_TOKEN });
    const direct = new Set((await session.client.listTools()).tools.map((t) => t.name));
    const search = await session.call(DYNAMIC_TOOL_NAMES.search, {});
    expect((search.structuredContent as { total: number }).total).toBe(every.length);
    const hidden = every.filter((name) => !direct.has(name));
    expect(hidden.length).toBe(every.length - (direct.size - META.length));
    for (const name of hidden) {
      const described = await session.call(DYNAMIC_TOOL_NAMES.describe, { name });
      expect(described.isError, name).toBeFalsy();
    }
    await session.close();
  });

  it("widens with toolsets by resource group, as GitHub's MCP server does", async () => {
    const names = await listed({ accessToken: ORG_TOKEN, toolsets: ["default", "webhooks"] });
    expect(names).toContain("webhooks_list_webhook_endpoints");
    expect(names).toContain("customers_list");
    expect(names).toEqual(expect.arrayContaining(META));
    const only = await listed({ accessToken: ORG_TOKEN, toolsets: ["checkout-links"] });
    expect(only.filter((n) => !META.includes(n as (typeof META)[number])).sort()).toEqual([
      "checkout_links_create",
      "checkout_links_delete",
      "checkout_links_get",
      "checkout_links_list",
      "checkout_links_update",
    ]);
  });

  it("keeps the full static list with all (186) and with toolsets all (138, no meta-tools)", async () => {
    expect(await listed({ accessToken: ORG_TOKEN, all: true })).toHaveLength(186);
    const every = await listed({ accessToken: ORG_TOKEN, toolsets: ["all"] });
    expect(every).toHaveLength(138);
    expect(every).not.toContain(DYNAMIC_TOOL_NAMES.call);
  });

  it("lists a filtered view directly when it fits within the limit", async () => {
    const names = await listed({ accessToken: ORG_TOKEN, tags: ["license_keys"] });
    expect(names).toContain("license_keys_update");
    expect(names).not.toContain(DYNAMIC_TOOL_NAMES.call);
  });

  it("gives session tokens the portal's hero operations", async () => {
    const names = await listed({ accessToken: "polar_cst_customer" });
    expect(names.length).toBeLessThanOrEqual(CLIENT_TOOL_LIMIT);
    expect(names).toContain("customer_portal_subscriptions_list");
    expect(names).toContain("customer_portal_license_keys_validate");
    expect(names).toEqual(expect.arrayContaining(META));
  });

  it("rejects an unknown toolset, naming the known ones", async () => {
    const error = await connect({ toolsets: ["invoices"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).code).toBe("invalid_filter");
    expect((error as Error).message).toMatch(/Unknown toolset "invoices".*customers.*webhooks/);
  });

  it("names every default tool after an operation the document has", () => {
    const catalog = buildToolCatalog(loadSpec());
    for (const name of DEFAULT_TOOLSET) expect(catalog.byName.has(name), name).toBe(true);
  });
});

describe("tool names within client limits", () => {
  const names = buildToolCatalog(loadSpec()).tools.map((t) => t.name);

  it("fit Claude Code's mcp__<server>__<tool> ≤ 64 and Cursor's server+tool ≤ 60 for a server named polar", () => {
    for (const name of names) {
      expect(`mcp__polar__${name}`.length, name).toBeLessThanOrEqual(64);
      expect(`polar${name}`.length, name).toBeLessThanOrEqual(60);
      // OpenAI, Anthropic and Gemini: ^[a-zA-Z0-9_-]{1,64}$ (Gemini also allows . and :).
      expect(name).toMatch(/^[a-z0-9_]{1,48}$/);
    }
  });

  it("shortens a long operation id by dropping words an earlier segment said", () => {
    expect(names).toContain("customer_portal_session_get_authenticated_user");
  });
});
