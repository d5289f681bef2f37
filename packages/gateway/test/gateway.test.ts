import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callTool,
  createAccount,
  createServer,
  mcpClient,
  startWorld,
  textOf,
  type World,
  type Json,
} from "./helpers/world.js";

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

describe("a managed server end to end", () => {
  it("creates an account and a server whose URL serves Polar tools with the account's credential", async () => {
    const accountId = await createAccount(world);
    const created = await createServer(world, accountId, {
      config: { methods: ["read"], tags: ["customers"] },
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^mcp_/),
      name: "Claude",
      url: expect.stringMatching(/^http:\/\/gateway\.test\/mcp\/[A-Za-z0-9_-]{43}$/),
    });
    expect(created.tool_count).toBeGreaterThan(0);

    const client = await mcpClient(world, created.url);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("customers_list");
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const result = (await client.callTool({ name: "customers_list", arguments: {} })) as Json;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.items.map((c: Json) => c.external_id)).toContain("demo-user");
    await client.close();
  });

  it("never returns the Polar credential or the URL secret after creation", async () => {
    const accountId = await createAccount(world);
    const created = await createServer(world, accountId);
    const secret = created.url.split("/").pop();
    for (const path of [
      "/accounts",
      `/accounts/${accountId}`,
      `/accounts/${accountId}/mcp-servers`,
      `/mcp-servers/${created.id}`,
    ]) {
      const { json } = await world.admin("GET", path);
      const text = JSON.stringify(json);
      expect(text).not.toContain(world.emulator.seed!.accessToken);
      expect(text).not.toContain(secret);
    }
    const { json } = await world.admin("GET", `/accounts/${accountId}`);
    expect(json).toMatchObject({ credential_kind: "organization", base_url: world.emulator.url });
  });

  it("audits every tool call without its arguments", async () => {
    const accountId = await createAccount(world);
    const created = await createServer(world, accountId);
    await callTool(world, created.url, "customers_list", { email: "someone@example.com" });
    const { json } = await world.admin("GET", `/audit?server_id=${created.id}`);
    expect(json.items).toHaveLength(1);
    expect(json.items[0]).toMatchObject({
      server_id: created.id,
      account_id: accountId,
      tool: "customers_list",
      status: "ok",
      upstream_status: 200,
    });
    expect(json.items[0].latency_ms).toBeGreaterThan(0);
    expect(JSON.stringify(json)).not.toContain("someone@example.com");
  });

  it("rejects the admin API without the admin key", async () => {
    const response = await world.gateway.fetch(new Request("http://gateway.test/admin/accounts"));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "unauthorized" });
    const wrong = await world.gateway.fetch(
      new Request("http://gateway.test/admin/accounts", {
        headers: { authorization: "Bearer nope" },
      }),
    );
    expect(wrong.status).toBe(401);
  });
});

describe("tool text", () => {
  it("helper only (a test utility, no gateway behaviour): textOf joins the text parts of a tool result", () => {
    expect(textOf({ content: [{ type: "text", text: "a" }] })).toBe("a");
  });
});
