import type { ValidateLicenseKeyResult } from "../../provider/result.js";

/** A tool result every MCP framework accepts: text for the model, fields for clients. */
export interface DenialResult {
  [key: string]: unknown;
  isError: true;
  content: { type: "text"; text: string }[];
  structuredContent: { code: string; message: string; checkoutUrl?: string };
}

/** A denial as an MCP error result: `{ code, message, checkoutUrl }` beside the text. */
export function denialResult(result: ValidateLicenseKeyResult): DenialResult {
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
