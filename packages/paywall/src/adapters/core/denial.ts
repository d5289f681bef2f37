import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ValidateLicenseKeyResult } from "../provider/result.js";

/** A denial as an MCP error result: text for the model, structured fields for clients. */
export function denialResult(result: ValidateLicenseKeyResult): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: result.message }],
    structuredContent: {
      code: result.code,
      message: result.message,
      ...(result.checkoutUrl ? { checkoutUrl: result.checkoutUrl } : {}),
    },
  };
}
