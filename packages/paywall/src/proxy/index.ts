// @polar-mcp/paywall/proxy — any MCP server behind the paywall (`polar-mcp paywall proxy`).
export { startPaidProxy, WEBHOOK_PATH } from "./start-proxy.js";
export type { RunningProxy, StartProxyOptions } from "./start-proxy.js";
export { createPaidProxyServer, PRICE_META_KEY } from "./paid-proxy.js";
export type { PaidProxyOptions } from "./paid-proxy.js";
export { parseProxyConfig, priceOf, describePrice } from "./proxy-config.js";
export type { ProxyConfig, ToolPrice, UpstreamConfig } from "./proxy-config.js";
export { connectUpstream } from "./upstream.js";
export {
  PurchaseWaits,
  completingWebhooks,
  PURCHASE_FIXABLE,
  purchaseElicitation,
  supportsUrlElicitation,
} from "../adapters/core/purchase-elicitation.js";
export { DENIAL_JSON_SCHEMA } from "../adapters/core/denial.js";
