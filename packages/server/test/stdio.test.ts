import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { ORG_TOKEN, SPEC_PATH } from "./helpers.js";

describe("stdio transport (real process)", () => {
  it("lists the default toolset (within 40 tools) for an organization token read from the environment", async () => {
    const entry = fileURLToPath(new URL("./fixtures/stdio-server.ts", import.meta.url));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--conditions=polar-mcp-source", "--import", "tsx", entry],
      env: {
        PATH: process.env.PATH ?? "",
        POLAR_ACCESS_TOKEN: ORG_TOKEN,
        POLAR_OPENAPI: SPEC_PATH,
      },
      stderr: "pipe",
    });
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBeLessThanOrEqual(40);
      expect(tools.map((t) => t.name)).toContain("customers_get");
      const result = await client.callTool({ name: "customers_get", arguments: {} });
      expect(result.isError).toBe(true);
    } finally {
      await client.close();
    }
  });
});
