// A paid MCP server on the MCP SDK v2 line (@modelcontextprotocol/server 2.x), over stdio:
// one user per process, so the license key comes from POLAR_LICENSE_KEY (or _meta).
// Run: npx tsx --conditions=polar-mcp-source examples/paid-server-v2.ts
//      (uses the local emulator unless POLAR_TOKEN is set)
import { McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { PolarProvider } from "@polar-mcp/paywall";
import { paidTool } from "@polar-mcp/paywall/mcp-server";
import { z } from "zod";
import { polarSetup } from "./shared/polar-setup.js";

const setup = await polarSetup();
if (setup.demoLicenseKey && !process.env.POLAR_LICENSE_KEY)
  process.env.POLAR_LICENSE_KEY = setup.demoLicenseKey;
const polar = PolarProvider.getInstance(setup.config);

const server = new McpServer({ name: "paid-example-v2", version: "1.0.0" });
server.registerTool(
  "greet",
  { description: "Greets someone (paid: 1 credit)", inputSchema: z.object({ name: z.string() }) },
  paidTool(polar, { toolName: "greet" }, async ({ name }: { name: string }) => ({
    content: [{ type: "text", text: `Hello, ${name}!` }],
  })),
);
await server.connect(new StdioServerTransport());
process.stdin.once("close", () => void polar.close().then(() => setup.close()));
