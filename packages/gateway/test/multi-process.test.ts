// Two `polar-mcp gateway` processes on one PostgreSQL, as behind a load balancer: what one
// creates the other serves, rotation and audit are shared, and a restart loses nothing.
// The admin commands of the CLI (`gateway accounts|servers …`) drive them.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnGateway, type GatewayProcess } from "./helpers/cli.js";
import { startPostgres, type PrivatePostgres } from "./helpers/postgres.js";
import { ADMIN_KEY, ENCRYPTION_KEY, type Json } from "./helpers/world.js";

const ENV = { POLAR_MCP_ADMIN_KEY: ADMIN_KEY, POLAR_MCP_ENCRYPTION_KEY: ENCRYPTION_KEY };
let postgres: PrivatePostgres;
let emulator: RunningEmulator;
const running: GatewayProcess[] = [];

async function start(): Promise<GatewayProcess> {
  const gateway = await spawnGateway(["--database-url", postgres.url], ENV);
  running.push(gateway);
  return gateway;
}

async function admin(
  gateway: GatewayProcess,
  method: string,
  path: string,
  body?: unknown,
): Promise<Json> {
  const response = await fetch(`${gateway.url}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    json: response.status === 204 ? undefined : await response.json(),
  };
}

async function listCustomers(url: string): Promise<Json> {
  const client = new Client({ name: "multi-process-test", version: "0.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    return await client.callTool({ name: "customers_list", arguments: {} });
  } finally {
    await client.close();
  }
}

// The same server path on another process.
const on = (gateway: GatewayProcess, url: string) => `${gateway.url}${new URL(url).pathname}`;

beforeAll(async () => {
  [postgres, emulator] = await Promise.all([
    startPostgres(),
    startEmulator({ db: ":memory:", seed: "demo" }),
  ]);
});
afterAll(async () => {
  await Promise.all(running.map((g) => g.stop()));
  await emulator?.close();
  await postgres?.stop();
});

// Each test spawns gateway processes and CLI commands; on a loaded machine that alone takes
// tens of seconds, so these tests get more time than the suite's default.
describe("two gateway processes on one PostgreSQL", { timeout: 180_000 }, () => {
  it("a server created through one is served by the other; rotation through the other stops it on both", async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const cli = (args: string[], gateway: GatewayProcess) =>
      runCli(["gateway", ...args, "--url", gateway.url, "--json"], {
        ...ENV,
        POLAR_ACCESS_TOKEN: emulator.seed!.accessToken,
      });

    const account = await cli(
      ["accounts", "create", "--name", "Acme", "--base-url", emulator.url],
      a,
    );
    expect(account.code, account.stderr).toBe(0);
    const accountId = JSON.parse(account.stdout).id as string;
    const created = await cli(
      [
        "servers",
        "create",
        "--account",
        accountId,
        "--name",
        "Claude",
        "--tags",
        "customers",
        "--read-only",
      ],
      a,
    );
    expect(created.code, created.stderr).toBe(0);
    const server = JSON.parse(created.stdout);
    expect(server.url.startsWith(a.url)).toBe(true);

    const viaB = await listCustomers(on(b, server.url));
    expect(viaB.isError).toBeFalsy();
    expect(viaB.structuredContent.items.length).toBeGreaterThan(0);

    const listed = await cli(["servers", "list", "--account", accountId], b);
    expect(JSON.parse(listed.stdout).map((s: Json) => s.id)).toEqual([server.id]);

    const rotated = await admin(b, "POST", `/mcp-servers/${server.id}/rotate`);
    const stale = await fetch(server.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(stale.status).toBe(410);
    expect((await listCustomers(on(a, rotated.json.url))).isError).toBeFalsy();

    // Each process writes its audit entries right after answering (batched); the one of the
    // call through A reaches the shared database within moments.
    await expect
      .poll(
        async () =>
          (await admin(b, "GET", `/audit?server_id=${server.id}`)).json.items.map(
            (e: Json) => e.status,
          ),
        { timeout: 5_000 },
      )
      .toEqual(["ok", "ok"]);

    const deleted = await cli(["servers", "delete", server.id], b);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await admin(a, "GET", `/mcp-servers/${server.id}`)).status).toBe(404);
  });

  it("a restart loses nothing: accounts, servers, audit and the URL survive", async () => {
    const first = await start();
    const accountId = (
      await admin(first, "POST", "/accounts", {
        name: "Durable",
        access_token: emulator.seed!.accessToken,
        base_url: emulator.url,
      })
    ).json.id;
    const server = (
      await admin(first, "POST", `/accounts/${accountId}/mcp-servers`, { name: "Durable" })
    ).json;
    expect((await listCustomers(server.url)).isError).toBeFalsy();
    await Promise.all(running.splice(0).map((g) => g.stop()));

    const second = await start();
    expect((await admin(second, "GET", `/accounts/${accountId}`)).json.name).toBe("Durable");
    expect((await admin(second, "GET", `/mcp-servers/${server.id}`)).json.status).toBe("active");
    expect((await listCustomers(on(second, server.url))).isError).toBeFalsy();
    const audit = await admin(second, "GET", `/audit?server_id=${server.id}`);
    expect(audit.json.items).toHaveLength(2);
  });
});
