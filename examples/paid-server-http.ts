// A paid MCP server on the official MCP SDK, over Streamable HTTP.
// Run: npm run example:http   (uses the local emulator unless POLAR_TOKEN is set)
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { PolarProvider } from "@polar-mcp/paywall";
import { hostMcpOverHttp, paidTool } from "@polar-mcp/paywall/mcp-sdk";
import { z } from "zod";
import { polarSetup } from "./shared/polar-setup.js";

const setup = await polarSetup();
const polar = PolarProvider.getInstance(setup.config);

function createServer(): McpServer {
  const server = new McpServer({ name: "paid-example", version: "1.0.0" });
  server.registerTool(
    "greet",
    { description: "Greets someone (paid: 1 credit)", inputSchema: { name: z.string() } },
    // One line makes the tool paid: the key comes from the `license-key` header.
    paidTool(polar, { toolName: "greet" }, async ({ name }) => ({
      content: [{ type: "text", text: `Hello, ${name}!` }],
    })),
  );
  return server;
}

const hosted = await hostMcpOverHttp(createServer, { port: Number(process.env.PORT ?? 3001) });
console.log(`Paid MCP server on ${hosted.url}`);
if (setup.demoLicenseKey) console.log(`Demo license key: ${setup.demoLicenseKey}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void hosted.close().then(() => setup.close()));
}
