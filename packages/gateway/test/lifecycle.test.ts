// Expiry, rotation, deletion: each stops the URL at once with an error that says why.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callTool,
  createAccount,
  createServer,
  startWorld,
  type World,
  type Json,
} from "./helpers/world.js";

let world: World;
let accountId: string;
beforeAll(async () => {
  world = await startWorld();
  accountId = await createAccount(world);
});
afterAll(async () => world?.close());

describe("expiry", () => {
  it("a server created to expire a second ahead works, then fails, and is marked expired", async () => {
    const expiresAt = new Date(world.clock.now() + 1000).toISOString();
    const server = await createServer(world, accountId, { expires_at: expiresAt });
    expect(server.expires_at).toBe(expiresAt);
    expect((await callTool(world, server.url, "customers_list")).result?.isError).toBeFalsy();

    world.clock.advance(1001);
    const refused = await callTool(world, server.url, "customers_list");
    expect(refused.status).toBe(410);
    expect(refused.body.error.message).toContain(`expired at ${expiresAt}`);
    expect(refused.body.error.data.error).toBe("server_expired");
    expect((await world.admin("GET", `/mcp-servers/${server.id}`)).json.status).toBe("expired");
    const audit = (await world.admin("GET", `/audit?server_id=${server.id}`)).json.items;
    expect(audit.map((e: Json) => e.status)).toEqual(["expired", "ok"]);
  });

  it("the record is marked expired on read even if nobody called it", async () => {
    const server = await createServer(world, accountId, {
      expires_at: new Date(world.clock.now() + 1000).toISOString(),
    });
    world.clock.advance(2000);
    const listed = (await world.admin("GET", `/accounts/${accountId}/mcp-servers`)).json.items;
    expect(listed.find((s: Json) => s.id === server.id).status).toBe("expired");
  });

  it("extending expires_at brings it back; a past expires_at is refused", async () => {
    const server = await createServer(world, accountId, {
      expires_at: new Date(world.clock.now() + 1000).toISOString(),
    });
    world.clock.advance(1500);
    expect((await callTool(world, server.url, "customers_list")).status).toBe(410);
    const past = await world.admin("PATCH", `/mcp-servers/${server.id}`, {
      expires_at: new Date(world.clock.now() - 1).toISOString(),
    });
    expect(past.status).toBe(422);
    const extended = await world.admin("PATCH", `/mcp-servers/${server.id}`, { expires_at: null });
    expect(extended.json).toMatchObject({ status: "active", expires_at: null });
    expect((await callTool(world, server.url, "customers_list")).result?.isError).toBeFalsy();
  });
});

describe("rotation and deletion", () => {
  it("rotation invalidates the old URL at once and the new one works", async () => {
    const server = await createServer(world, accountId);
    const rotated = await world.admin("POST", `/mcp-servers/${server.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.url).not.toBe(server.url);
    const old = await callTool(world, server.url, "customers_list");
    expect(old.status).toBe(410);
    expect(old.body.error.data.error).toBe("url_rotated");
    expect((await callTool(world, rotated.json.url, "customers_list")).result?.isError).toBeFalsy();
  });

  it("a deleted server serves nothing and leaves the listings", async () => {
    const server = await createServer(world, accountId);
    expect((await world.admin("DELETE", `/mcp-servers/${server.id}`)).status).toBe(204);
    const gone = await callTool(world, server.url, "customers_list");
    expect(gone.status).toBe(410);
    expect(gone.body.error.data.error).toBe("server_deleted");
    expect((await world.admin("GET", `/mcp-servers/${server.id}`)).status).toBe(404);
    const listed = (await world.admin("GET", `/accounts/${accountId}/mcp-servers`)).json.items;
    expect(listed.map((s: Json) => s.id)).not.toContain(server.id);
  });

  it("deleting the account stops its servers", async () => {
    const other = await createAccount(world);
    const server = await createServer(world, other);
    expect((await world.admin("DELETE", `/accounts/${other}`)).status).toBe(204);
    expect((await callTool(world, server.url, "customers_list")).status).toBe(410);
  });

  it("an unknown or truncated URL is a 404 that serves nothing", async () => {
    const server = await createServer(world, accountId);
    for (const url of [server.url.slice(0, -1), "http://gateway.test/mcp/nope"]) {
      const res = await callTool(world, url, "customers_list");
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain("No MCP server at this URL");
    }
  });
});
