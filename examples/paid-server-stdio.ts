// A paid MCP server on the official MCP SDK, over stdio: one user per process, so the
// license key comes from POLAR_LICENSE_KEY (or the request's _meta["license-key"]).
// Run: npm run example:stdio   (uses the local emulator unless POLAR_TOKEN is set)
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { PolarProvider } from "@polar-mcp/paywall";
import { paidTool } from "@polar-mcp/paywall/mcp-sdk";
import { z } from "zod";
import { polarSetup } from "./shared/polar-setup.js";

const setup = await polarSetup();
if (setup.demoLicenseKey && !process.env.POLAR_LICENSE_KEY)
  process.env.POLAR_LICENSE_KEY = setup.demoLicenseKey;
const polar = PolarProvider.getInstance(setup.config);

const server = new McpServer({ name: "paid-example-stdio", version: "1.0.0" });
server.registerTool(
  "greet",
  { description: "Greets someone (paid: 1 credit)", inputSchema: { name: z.string() } },
  paidTool(polar, { toolName: "greet" }, async ({ name }) => ({
    content: [{ type: "text", text: `Hello, ${name}!` }],
  })),
);
await server.connect(new StdioServerTransport());
process.stdin.once("close", () => void setup.close());
