// @polar-mcp/paywall/fastmcp — FastMCP (a peer dependency).
export { licenseKeyAuthenticate, paidExecute } from "./fastmcp.js";
export type { LicenseKeySession, PaidExecuteOptions } from "./fastmcp.js";
export type { RecordOn } from "../core/run-paid.js";
