// @polar-mcp/paywall/mcp-sdk — the MCP SDK v1 line (`@modelcontextprotocol/sdk`, a peer dependency).
export { paidTool } from "./paid-tool.js";
export type { PaidToolOptions } from "./paid-tool.js";
export { hostMcpOverHttp, DEFAULT_MAX_BODY_BYTES } from "./http-host.js";
export type { HostedMcp, HostMcpOptions } from "./http-host.js";
export { denialResult } from "../core/denial.js";
export type { DenialResult } from "../core/denial.js";
export type { RecordOn } from "../core/run-paid.js";
export {
  PurchaseWaits,
  completingWebhooks,
  elicitPurchase,
  PURCHASE_FIXABLE,
} from "../core/purchase-elicitation.js";
export { DENIAL_JSON_SCHEMA } from "../core/denial.js";
