// Tenant isolation: two Polar organizations, one account each; no server URL reaches the
// other account's credential or data.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import {
  callTool,
  createAccount,
  createServer,
  startWorld,
  type World,
  type Json,
} from "./helpers/world.js";

let emulator: RunningEmulator;
let world: World;
const sent: Array<{ url: string; authorization: string | null }> = [];
let tokenA: string;
let tokenB: string;
let customerB: string;

beforeAll(async () => {
  emulator = await startEmulator({ db: ":memory:", seed: "demo" });
  tokenA = emulator.seed!.accessToken;
  const control = async (path: string, body: unknown) =>
    (await (
      await fetch(`${emulator.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      })
    ).json()) as Record<string, string>;
  const org = await control("/__emulator/organizations", { name: "Other Org" });
  tokenB = (await control("/__emulator/tokens", { organization_id: org.id! })).token!;
  const created = await fetch(`${emulator.url}/v1/customers/`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokenB}`, "content-type": "application/json" },
    body: JSON.stringify({ email: "secret-customer@other.example", external_id: "other-user" }),
  });
  customerB = ((await created.json()) as { id: string }).id;
  // Every request the gateway sends to Polar, with the credential it carried.
  world = await startWorld(
    {
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers);
        sent.push({ url: String(input), authorization: headers.get("authorization") });
        return fetch(input, init);
      },
    },
    emulator,
  );
});
afterAll(async () => {
  await world?.close();
  await emulator?.close();
});

describe("tenant isolation", () => {
  it("each server calls Polar only with its own account's credential and sees only its data", async () => {
    const accountA = await createAccount(world, tokenA, "A");
    const accountB = await createAccount(world, tokenB, "B");
    const serverA = await createServer(world, accountA);
    const serverB = await createServer(world, accountB);

    sent.length = 0;
    const listA = await callTool(world, serverA.url, "customers_list");
    const emailsA = (listA.result!.structuredContent as Json).items.map((c: Json) => c.email);
    expect(emailsA).not.toContain("secret-customer@other.example");
    expect(sent.every((r) => r.authorization === `Bearer ${tokenA}`)).toBe(true);

    sent.length = 0;
    const listB = await callTool(world, serverB.url, "customers_list");
    expect((listB.result!.structuredContent as Json).items.map((c: Json) => c.email)).toEqual([
      "secret-customer@other.example",
    ]);
    expect(sent.every((r) => r.authorization === `Bearer ${tokenB}`)).toBe(true);
  });

  it("a server cannot read another account's record by id, nor pick the credential", async () => {
    const accountA = await createAccount(world, tokenA, "A");
    const serverA = await createServer(world, accountA);
    sent.length = 0;
    const byId = await callTool(world, serverA.url, "customers_get", { id: customerB });
    expect(byId.result?.isError).toBe(true);
    expect((byId.result?.structuredContent as Json).status).toBe(404);
    // Arguments cannot carry a credential: unknown fields are refused before any request.
    const smuggled = await callTool(world, serverA.url, "customers_list", {
      authorization: `Bearer ${tokenB}`,
    });
    expect(smuggled.result?.isError).toBe(true);
    expect(sent.every((r) => r.authorization === `Bearer ${tokenA}`)).toBe(true);
    expect(JSON.stringify([byId.body, smuggled.body])).not.toContain(tokenA);
  });

  it("keeps each account's audit log apart", async () => {
    const accountA = await createAccount(world, tokenA, "A");
    const accountB = await createAccount(world, tokenB, "B");
    const serverA = await createServer(world, accountA);
    const serverB = await createServer(world, accountB);
    await callTool(world, serverA.url, "customers_list");
    await callTool(world, serverB.url, "products_list");
    const a = (await world.admin("GET", `/audit?account_id=${accountA}`)).json.items;
    const b = (await world.admin("GET", `/audit?account_id=${accountB}`)).json.items;
    expect(a.map((e: Json) => [e.server_id, e.tool])).toEqual([[serverA.id, "customers_list"]]);
    expect(b.map((e: Json) => [e.server_id, e.tool])).toEqual([[serverB.id, "products_list"]]);
  });

  it("an account's API token does not open another account's server", async () => {
    const accountA = await createAccount(world, tokenA, "A");
    const accountB = await createAccount(world, tokenB, "B");
    const serverB = await createServer(world, accountB, { require_api_token_auth: true });
    const tokenOfA = (await world.admin("POST", `/accounts/${accountA}/api-tokens`, { name: "a" }))
      .json.token;
    const refused = await callTool(
      world,
      serverB.url,
      "customers_list",
      {},
      { authorization: `Bearer ${tokenOfA}` },
    );
    expect(refused.status).toBe(401);
    expect(refused.body.error.data.error).toBe("invalid_api_token");
  });
});
