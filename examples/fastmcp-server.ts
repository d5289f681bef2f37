// A paid tool on FastMCP, over HTTP streaming.
// Run: npm run example:fastmcp   (uses the local emulator unless POLAR_TOKEN is set)
import { PolarProvider } from "@polar-mcp/paywall";
import { licenseKeyAuthenticate, paidExecute } from "@polar-mcp/paywall/fastmcp";
import { FastMCP } from "fastmcp";
import { z } from "zod";
import { polarSetup } from "./shared/polar-setup.js";

const setup = await polarSetup();
const polar = PolarProvider.getInstance(setup.config);

const server = new FastMCP({
  name: "paid-fastmcp",
  version: "1.0.0",
  authenticate: licenseKeyAuthenticate(),
});
server.addTool({
  name: "greet",
  description: "Greets someone (paid: 1 credit)",
  parameters: z.object({ name: z.string() }),
  execute: paidExecute(polar, { toolName: "greet" }, async ({ name }) => `Hello, ${name}!`),
});
const port = Number(process.env.PORT ?? 3002);
await server.start({ transportType: "httpStream", httpStream: { port } });
console.log(`Paid FastMCP server on http://127.0.0.1:${port}/mcp`);
if (setup.demoLicenseKey) console.log(`Demo license key: ${setup.demoLicenseKey}`);
