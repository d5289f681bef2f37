// require_api_token_auth: the URL alone is not enough; a gateway API token must come too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callTool,
  createAccount,
  createServer,
  mcpClient,
  startWorld,
  type World,
  type Json,
} from "./helpers/world.js";

let world: World;
let accountId: string;
let server: Json;
beforeAll(async () => {
  world = await startWorld();
  accountId = await createAccount(world);
  server = await createServer(world, accountId, { require_api_token_auth: true });
});
afterAll(async () => world?.close());

describe("second credential", () => {
  it("refuses a call without a token with a clear 401", async () => {
    const res = await callTool(world, server.url, "customers_list");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    expect(res.body.error.data.error).toBe("api_token_required");
    expect(res.body.error.message).toContain(`POST /admin/accounts/${accountId}/api-tokens`);
    expect(res.body.error.message).toContain("Authorization: Bearer <token>");
  });

  it("refuses a wrong token, and a revoked one", async () => {
    const wrong = await callTool(
      world,
      server.url,
      "customers_list",
      {},
      { authorization: "Bearer pmg_wrong" },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.data.error).toBe("invalid_api_token");
    const created = await world.admin("POST", `/accounts/${accountId}/api-tokens`, {
      name: "revoked",
    });
    expect((await world.admin("DELETE", `/api-tokens/${created.json.id}`)).status).toBe(204);
    const revoked = await callTool(
      world,
      server.url,
      "customers_list",
      {},
      { authorization: `Bearer ${created.json.token}` },
    );
    expect(revoked.status).toBe(401);
  });

  it("serves the official client that sends a valid token; the token is shown only at creation", async () => {
    const created = await world.admin("POST", `/accounts/${accountId}/api-tokens`, {
      name: "claude",
    });
    expect(created.json.token).toMatch(/^pmg_[A-Za-z0-9_-]{43}$/);
    const listed = await world.admin("GET", `/accounts/${accountId}/api-tokens`);
    expect(JSON.stringify(listed.json)).not.toContain(created.json.token);
    const client = await mcpClient(world, server.url, {
      authorization: `Bearer ${created.json.token}`,
    });
    const result = await client.callTool({ name: "customers_list", arguments: {} });
    expect(result.isError).toBeFalsy();
    await client.close();
  });

  it("audits refused calls as unauthorized", async () => {
    const entries = (await world.admin("GET", `/audit?server_id=${server.id}`)).json.items;
    expect(entries.map((e: Json) => e.status)).toContain("unauthorized");
  });
});
