// The same tool through the paywall's xmcp adapter: charged only when it succeeds, and a
// denial is an isError result carrying { code, message, checkoutUrl }.
import { z } from "zod";
import { type InferSchema, type ToolMetadata } from "xmcp";
import { paidXmcpTool } from "@polar-mcp/paywall/xmcp";
import { polar } from "../lib/polar";

export const schema = {
  name: z.string().describe("The name of the user to greet"),
};

export const metadata: ToolMetadata = {
  name: "paid-greet",
  description: "Greet the user (1 credit, charged on success)",
};

export default paidXmcpTool(
  polar,
  { toolName: "paid-greet" },
  async ({ name }: InferSchema<typeof schema>) => `Hello, ${name}!`,
);
