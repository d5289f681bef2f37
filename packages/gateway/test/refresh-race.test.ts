// Rotating refresh tokens shared by two gateway instances on one SQLite file: when both find
// a connected account's token expiring at once, one refreshes and the other uses its result.
// Both keep working, each refresh token is sent to Polar once, and the emulator (as Polar)
// refuses a refresh token used before.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "../src/index.js";
import {
  ADMIN_KEY,
  ENCRYPTION_KEY,
  adminCall,
  callToolOn,
  manualClock,
  type Json,
} from "./helpers/world.js";

// Polar accepts http redirect URIs only on localhost; the instances answer in process.
const GATEWAY_ORIGIN = "http://localhost:8788";
const TEN_DAYS_MS = 864_000_000; // the lifetime of a token from Polar's authorization code

interface TokenRequest {
  gateway: string;
  grant: string | null;
  refreshToken: string | null;
  status: number;
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

// The end user's approval on the emulator's consent page, as the browser would send it.
async function approve(connectUrl: string, emulatorUrl: string): Promise<string> {
  const page = await (await fetch(connectUrl)).text();
  const form = new URLSearchParams();
  for (const [, name, value] of page.matchAll(
    /<input type="hidden" name="([^"]*)" value="([^"]*)">/g,
  ))
    form.append(unescapeHtml(name!), unescapeHtml(value!));
  const organization = /name="organizations" value="([^"]*)"/.exec(page)?.[1];
  expect(organization, page.slice(0, 500)).toBeDefined();
  form.append("organizations", unescapeHtml(organization!));
  form.append("action", "allow");
  const answer = await fetch(`${emulatorUrl}/v1/oauth2/consent`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  const location = answer.headers.get("location");
  expect(location, `${answer.status} ${await answer.text()}`).toMatch(
    /^http:\/\/localhost:8788\/connect\/callback\?/,
  );
  return location!;
}

describe("rotating refresh tokens across two gateway instances", () => {
  const dir = mkdtempSync(join(tmpdir(), "polar-gateway-refresh-"));
  const clock = manualClock(Date.now());
  const tokenRequests: TokenRequest[] = [];
  let emulator: RunningEmulator;
  let tokenEndpoint: string;
  let client: { client_id: string; client_secret: string };
  let a: Gateway;
  let b: Gateway;

  const open = (name: string) =>
    createGateway({
      db: join(dir, "gateway.sqlite"),
      adminKey: ADMIN_KEY,
      encryptionKey: ENCRYPTION_KEY,
      publicUrl: GATEWAY_ORIGIN,
      oauthClient: { clientId: client.client_id, clientSecret: client.client_secret },
      now: clock.now,
      env: {},
      fetch: async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        const response = await fetch(input, init);
        if (url === tokenEndpoint) {
          const form = new URLSearchParams(String(init?.body ?? ""));
          tokenRequests.push({
            gateway: name,
            grant: form.get("grant_type"),
            refreshToken: form.get("refresh_token"),
            status: response.status,
          });
        }
        return response;
      },
    });

  beforeAll(async () => {
    emulator = await startEmulator({ db: ":memory:", seed: "demo" });
    tokenEndpoint = `${emulator.url}/v1/oauth2/token`;
    const registered = await fetch(`${emulator.url}/v1/oauth2/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: "Polar MCP gateway",
        redirect_uris: [`${GATEWAY_ORIGIN}/connect/callback`],
        scope: "customers:read products:read",
        grant_types: ["authorization_code", "refresh_token"],
      }),
    });
    expect(registered.status, await registered.clone().text()).toBe(201);
    client = (await registered.json()) as typeof client;
    a = await open("a");
    b = await open("b");
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("one instance refreshes, the other reuses its credential; no refresh token is sent twice", async () => {
    const started = await adminCall(a.fetch, GATEWAY_ORIGIN, "POST", "/connect", {
      name: "Connected shop",
      base_url: emulator.url,
      config: { tags: ["customers"], read_only: true },
    });
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const callback = await a.fetch(
      new Request(await approve(started.json.connect_url, emulator.url)),
    );
    expect(callback.status, await callback.text()).toBe(200);
    const server = await adminCall(
      a.fetch,
      GATEWAY_ORIGIN,
      "POST",
      `/accounts/${started.json.account_id}/mcp-servers`,
      { name: "Claude", config: { tags: ["customers"], read_only: true } },
    );
    expect(server.status).toBe(201);
    const url = String(server.json.url);

    const callBoth = async () => {
      const answers = await Promise.all(
        [a, b].map((g) => callToolOn(g.fetch, url, "customers_list", { limit: 1 })),
      );
      for (const answer of answers)
        expect(answer.result?.isError, JSON.stringify(answer.body).slice(0, 400)).toBeFalsy();
    };
    await callBoth(); // both instances now hold the first token
    expect(tokenRequests.map((r) => r.grant)).toEqual(["authorization_code"]);

    // Twice past expiry: each time both instances find the token expiring, together.
    for (let round = 1; round <= 2; round += 1) {
      clock.advance(TEN_DAYS_MS + 60 * 60 * 1000);
      await callBoth();
      await callBoth(); // and keep working with the new token, without refreshing again
      const refreshes = tokenRequests.filter((r) => r.grant === "refresh_token");
      expect(refreshes.map((r) => r.status)).toEqual(Array(round).fill(200));
    }
    const used = tokenRequests.map((r) => r.refreshToken).filter((t) => t !== null);
    expect(new Set(used).size).toBe(used.length);

    // The emulator, as Polar, refuses a refresh token that was used before.
    const reused = await fetch(tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: used[0]!,
        client_id: client.client_id,
        client_secret: client.client_secret,
      }),
    });
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as Json).error).toBe("invalid_grant");
  });
});
