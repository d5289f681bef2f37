// The gateway's admin commands run as a person runs them: a real `polar-mcp gateway` process,
// an account connected to the demo emulator, `gateway accounts list` naming it, a server
// whose URL an MCP client uses, and `gateway servers rotate` replacing that URL (the old one
// stops, the new one serves the same tools).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startEmulator, type DemoSeed, type RunningEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliProcess, startCli, type CliProcess } from "./process.js";

const GATEWAY_ENV = {
  POLAR_MCP_ADMIN_KEY: "test-admin-key-0123456789",
  POLAR_MCP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

let polar: RunningEmulator;
let seed: DemoSeed;
let gateway: CliProcess;
let gatewayUrl: string;
beforeAll(async () => {
  polar = await startEmulator({ seed: "demo" });
  if (!polar.seed) throw new Error("no demo seed");
  seed = polar.seed;
  gateway = startCli(["gateway", "--port", "0", "--db", ":memory:"], GATEWAY_ENV);
  const line = await gateway.waitFor(/listening on http:\/\/\S+/);
  gatewayUrl = line.replace(/^listening on /, "").replace(/\/+$/, "");
}, 60_000);
afterAll(async () => {
  gateway?.child.kill("SIGTERM");
  if (gateway) await gateway.exited;
  await polar?.close();
});

async function admin(args: string[], env: Record<string, string> = {}): Promise<unknown> {
  const result = await runCliProcess(["gateway", ...args, "--url", gatewayUrl, "--json"], {
    ...GATEWAY_ENV,
    ...env,
  });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  return new Map<string, unknown>(Object.entries(value)).get(key);
}

async function toolNames(url: string): Promise<string[]> {
  const client = new Client({ name: "cli-gateway-admin-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

describe(
  "polar-mcp gateway accounts and servers (real processes, demo emulator)",
  { timeout: 120_000 },
  () => {
    it("accounts list names the connected account; servers rotate gives a working URL and the old one stops", async () => {
      const account = await admin(
        ["accounts", "create", "--name", "demo-org", "--base-url", polar.url],
        {
          POLAR_ACCESS_TOKEN: seed.accessToken,
        },
      );
      const accountId = field(account, "id");
      expect(typeof accountId).toBe("string");

      const listed = await admin(["accounts", "list"]);
      expect(Array.isArray(listed)).toBe(true);
      const names = (listed as unknown[]).map((a) => [field(a, "id"), field(a, "name")]);
      expect(names).toContainEqual([accountId, "demo-org"]);

      const server = await admin([
        "servers",
        "create",
        "--account",
        String(accountId),
        "--name",
        "read",
        "--read-only",
      ]);
      const serverId = String(field(server, "id"));
      const firstUrl = String(field(server, "url"));
      const before = await toolNames(firstUrl);
      expect(before).toContain("customers_get");

      const rotated = await admin(["servers", "rotate", serverId]);
      const secondUrl = String(field(rotated, "url"));
      expect(secondUrl).not.toBe(firstUrl);
      expect((await toolNames(secondUrl)).sort()).toEqual([...before].sort());
      await expect(toolNames(firstUrl)).rejects.toThrow();
    });
  },
);
