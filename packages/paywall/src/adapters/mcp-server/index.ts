// @polar-mcp/paywall/mcp-server — the MCP SDK v2 line (`@modelcontextprotocol/server` 2.x, a peer dependency).
export { paidTool } from "./paid-tool.js";
export type { PaidToolOptions } from "./paid-tool.js";
export { denialResult } from "../core/denial.js";
export type { DenialResult } from "../core/denial.js";
export type { RecordOn } from "../core/run-paid.js";
export { PurchaseWaits, completingWebhooks } from "../core/purchase-elicitation.js";
