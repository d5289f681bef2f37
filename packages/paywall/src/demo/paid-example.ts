import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { paidTool } from "../adapters/mcp-sdk/paid-tool.js";
import type { PolarProvider } from "../provider/polar-provider.js";

const FORTUNES = [
  "A paid tool call that costs nothing is a fine thing.",
  "Your credits are counted exactly once.",
  "The hot path never waits on the network.",
];

/** The demo's MCP server: one paid tool (`fortune`, 1 credit a call) and one free tool. */
export function createPaidExampleServer(polar: PolarProvider): McpServer {
  const server = new McpServer({ name: "polar-mcp-paid-example", version: "0.1.0" });
  server.registerTool(
    "fortune",
    {
      description:
        "Tells a fortune. Paid: 1 credit per call (send your license key in the license-key header).",
      inputSchema: { topic: z.string().max(100).optional() },
    },
    paidTool(polar, { toolName: "fortune" }, async ({ topic }) => {
      const text = FORTUNES[Math.floor(Math.random() * FORTUNES.length)] ?? "";
      return { content: [{ type: "text", text: topic ? `${topic}: ${text}` : text }] };
    }),
  );
  server.registerTool("ping", { description: "Free: answers pong." }, async () => ({
    content: [{ type: "text", text: "pong" }],
  }));
  return server;
}
