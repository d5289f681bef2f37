import { fileURLToPath } from "node:url";
import { startEmulator, type RunningEmulator } from "@polar-mcp/emulator";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPEC_PATH } from "./helpers.js";

let polar: RunningEmulator;
beforeAll(async () => {
  polar = await startEmulator({ seed: "demo" });
});
afterAll(async () => {
  await polar.close();
});

describe("stdio transport (real process, emulator over a real socket)", () => {
  it("lists the default toolset for a token read from the environment, and customers_get returns the emulator's demo customer", async () => {
    const seed = polar.seed;
    if (!seed) throw new Error("the emulator was started without the demo seed");
    const entry = fileURLToPath(new URL("./fixtures/stdio-server.ts", import.meta.url));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--conditions=polar-mcp-source", "--import", "tsx", entry],
      env: {
        PATH: process.env.PATH ?? "",
        POLAR_ACCESS_TOKEN: seed.accessToken,
        POLAR_OPENAPI: SPEC_PATH,
        POLAR_BASE_URL: polar.url,
      },
      stderr: "pipe",
    });
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBeLessThanOrEqual(40);
      expect(tools.map((t) => t.name)).toContain("customers_get");

      const result = await client.callTool({
        name: "customers_get",
        arguments: { id: seed.customerId },
      });
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      const customer = result.structuredContent as { id: string; external_id: string | null };
      expect(customer.id).toBe(seed.customerId);
      expect(customer.external_id).toBe(seed.externalCustomerId);
    } finally {
      await client.close();
    }
  });
});
