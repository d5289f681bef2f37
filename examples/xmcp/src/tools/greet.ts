// The seed's example tool, exactly as written for @xmcp-dev/polar.
import { z } from "zod";
import { type InferSchema, type ToolMetadata } from "xmcp";
import { headers } from "xmcp/headers";
import { polar } from "../lib/polar";
export const schema = {
  name: z.string().describe("The name of the user to greet"),
};
export const metadata: ToolMetadata = {
  name: "greet",
  description: "Greet the user (requires valid license)",
};
export default async function greet({ name }: InferSchema<typeof schema>) {
  const licenseKey = headers()["license-key"];
  const response = await polar.validateLicenseKey(licenseKey as string, {
    name: "tool_call",
    metadata: { tool_name: "greet", calls: 1 },
  });
  if (!response.valid) {
    return response.message;
  }
  return `Hello, ${name}!`;
}
