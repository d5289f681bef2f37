// Read-only and tag scoping hold at call time, whatever tool name the client sends.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
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
let accountId: string;
const methods: string[] = [];

beforeAll(async () => {
  world = await startWorld({
    fetch: async (input, init) => {
      if (String(input).includes("/v1/"))
        methods.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    },
  });
  accountId = await createAccount(world);
});
afterAll(async () => world?.close());

/** Refused: an isError result, or a JSON-RPC error for a name the server does not list. */
function refused(res: { result?: CallToolResult | undefined; body: Json }): boolean {
  return res.result?.isError === true || res.body?.error !== undefined;
}

async function audited(serverId: string) {
  return (await world.admin("GET", `/audit?server_id=${serverId}`)).json.items as Json[];
}

describe("read-only servers", () => {
  it("list only reads and refuse writes by tool name or operation id, sending nothing to Polar", async () => {
    const server = await createServer(world, accountId, { config: { read_only: true } });
    const client = await mcpClient(world, server.url);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    await client.close();

    methods.length = 0;
    for (const name of [
      "customers_create",
      "customers:create",
      "customers_delete",
      "products_update",
    ]) {
      const res = await callTool(world, server.url, name, {
        email: "x@example.com",
        id: "00000000-0000-4000-8000-000000000000",
      });
      expect(refused(res), name).toBe(true);
      expect(textOf(res.result) || res.body.error.message).toMatch(
        /read-only|Nothing was sent|not|nknown/,
      );
    }
    expect(methods).toEqual([]);
    const statuses = (await audited(server.id)).map((e) => e.status);
    expect(statuses).toEqual(["denied", "denied", "denied", "denied"]);
  });

  it("read_only wins over methods that include write", async () => {
    const server = await createServer(world, accountId, {
      config: { read_only: true, methods: ["read", "write"] },
    });
    const res = await callTool(world, server.url, "customers_create", { email: "y@example.com" });
    expect(refused(res)).toBe(true);
  });

  it("dynamic mode refuses a write through call_operation", async () => {
    const server = await createServer(world, accountId, {
      config: { read_only: true, mode: "dynamic" },
    });
    methods.length = 0;
    const res = await callTool(world, server.url, "call_operation", {
      name: "customers_create",
      arguments: { email: "z@example.com" },
    });
    expect(res.result?.isError).toBe(true);
    expect(methods).toEqual([]);
    const ok = await callTool(world, server.url, "call_operation", {
      name: "customers_list",
      arguments: {},
    });
    expect(ok.result?.isError).toBeFalsy();
    const entries = await audited(server.id);
    expect(entries.map((e) => [e.tool, e.status])).toEqual([
      ["customers_list", "ok"],
      ["customers_create", "denied"],
    ]);
  });
});

describe("tag-scoped servers", () => {
  it("list only the tags' tools and refuse any other, by name or operation id", async () => {
    const server = await createServer(world, accountId, { config: { tags: ["license_keys"] } });
    const client = await mcpClient(world, server.url);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("license_keys_list");
    expect(names.every((n) => n.includes("license_keys"))).toBe(true);
    await client.close();

    methods.length = 0;
    for (const name of ["customers_list", "products:list", "CUSTOMERS_LIST", "../customers_list"]) {
      expect(refused(await callTool(world, server.url, name)), name).toBe(true);
    }
    expect(methods).toEqual([]);
    expect((await audited(server.id)).map((e) => e.status)).toEqual([
      "denied",
      "denied",
      "denied",
      "denied",
    ]);
    const allowed = await callTool(world, server.url, "license_keys_list");
    expect(allowed.result?.isError).toBeFalsy();
    expect(methods).toEqual(["GET /v1/license-keys/"]);
  });

  it("methods and exclude_tools bound the server too", async () => {
    const server = await createServer(world, accountId, {
      config: { tags: ["customers"], methods: ["read"], exclude_tools: ["customers_get"] },
    });
    expect(refused(await callTool(world, server.url, "customers_get", { id: "x" }))).toBe(true);
    expect(refused(await callTool(world, server.url, "customers_update", { id: "x" }))).toBe(true);
    expect((await callTool(world, server.url, "customers_list")).result?.isError).toBeFalsy();
  });

  it("refuses unknown tags, tools and methods at creation with what is known", async () => {
    const tag = await world.admin("POST", `/accounts/${accountId}/mcp-servers`, {
      name: "x",
      config: { tags: ["nope"] },
    });
    expect(tag.status).toBe(422);
    expect(tag.json.detail).toMatch(/Unknown tag "nope".*known tags: .*customers/);
    const method = await world.admin("POST", `/accounts/${accountId}/mcp-servers`, {
      name: "x",
      config: { methods: ["delete"] },
    });
    expect(method.status).toBe(422);
    expect(method.json.detail).toContain("use read, write or custom");
    const field = await world.admin("POST", `/accounts/${accountId}/mcp-servers`, {
      name: "x",
      config: { scopes: ["all"] },
    });
    expect(field.status).toBe(422);
    expect(field.json.detail).toContain("unknown field(s) scopes");
  });

  it("a config update narrows a live server at once", async () => {
    const server = await createServer(world, accountId);
    expect((await callTool(world, server.url, "products_list")).result?.isError).toBeFalsy();
    const patched = await world.admin("PATCH", `/mcp-servers/${server.id}`, {
      config: { tags: ["customers"] },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.config).toEqual({ tags: ["customers"], mode: "static" });
    expect(refused(await callTool(world, server.url, "products_list"))).toBe(true);
  });
});
