// @polar-mcp/paywall — the provider alone: no MCP framework, no native module.
// Adapters live in their own entry points: /mcp-sdk (SDK v1), /mcp-server (SDK v2), /fastmcp, /xmcp.
export { PolarProvider } from "./provider/polar-provider.js";
export type { Configuration, PaywallLogger } from "./provider/config.js";
export { VALIDATION_CODES } from "./provider/result.js";
export type { ValidateLicenseKeyResult, ValidationCode, UsageEvent } from "./provider/result.js";
export type { Authorization } from "./provider/authorize.js";
export { findLicenseKey } from "./adapters/core/license-key-source.js";
export type { KeyRequest, LicenseKeySourceOptions } from "./adapters/core/license-key-source.js";
export { denialResult } from "./adapters/core/denial.js";
export type { DenialResult } from "./adapters/core/denial.js";
export { PaywallError } from "./errors.js";
export type { RecordOn } from "./adapters/core/run-paid.js";
export type { AuthorizeOptions } from "./engine/paywall-engine.js";
export type { WebhookHandler, WebhookHandlerOptions } from "./webhooks/webhook-handler.js";
export { toNodeHandler } from "./webhooks/node-handler.js";
export { reconcile } from "./reconcile/reconcile.js";
export type { ReconcileOptions, ReconcileRow } from "./reconcile/reconcile.js";
