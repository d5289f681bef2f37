// @polar-mcp/paywall/xmcp — xmcp (a peer dependency). The seed's own style needs no adapter:
// `polar.validateLicenseKey(headers()["license-key"], event)` from the main entry works as is.
export { paidXmcpTool } from "./paid.js";
export type { PaidXmcpToolOptions } from "./paid.js";
export type { RecordOn } from "../core/run-paid.js";
