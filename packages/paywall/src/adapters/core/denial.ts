import type { ValidateLicenseKeyResult } from "../../provider/result.js";

/** A tool result every MCP framework accepts: text for the model, fields for clients. */
export interface DenialResult {
  [key: string]: unknown;
  isError: true;
  content: { type: "text"; text: string }[];
  structuredContent: { code: string; message: string; checkoutUrl?: string; balance?: number };
}

/**
 * The JSON Schema of a denial's `structuredContent` (what clients without URL elicitation
 * receive): `code` says why, `checkoutUrl` where a purchase fixes it, `balance` what is left.
 */
export const DENIAL_JSON_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://polar-mcp.dev/schemas/paywall-denial.json",
  title: "Paywall denial",
  type: "object",
  required: ["code", "message"],
  additionalProperties: false,
  properties: {
    code: {
      type: "string",
      enum: [
        "license_key_missing",
        "license_key_not_granted",
        "license_key_usage_limit_reached",
        "license_key_expired",
        "meter_credit_exhausted",
        "license_key_error",
      ],
      description: "Why the call was refused.",
    },
    message: { type: "string", description: "What happened and what to do next." },
    checkoutUrl: {
      type: "string",
      format: "uri",
      description: "Where a purchase fixes it (bound to the customer when the key is known).",
    },
    balance: { type: "number", description: "Meter credits left, when the product sells credits." },
  },
} as const;

/** A denial as an MCP error result: `{ code, message, checkoutUrl, balance }` beside the text. */
export function denialResult(result: ValidateLicenseKeyResult): DenialResult {
  return {
    isError: true,
    content: [{ type: "text", text: result.message }],
    structuredContent: {
      code: result.code,
      message: result.message,
      ...(result.checkoutUrl ? { checkoutUrl: result.checkoutUrl } : {}),
      ...(result.balance !== undefined ? { balance: result.balance } : {}),
    },
  };
}
