import { Counter, Histogram, Registry } from "prom-client";
import type { CallStatus } from "../registry/types.js";

/**
 * The gateway's Prometheus metrics (prom-client), in a registry of its own so that several
 * gateways in one process do not mix. Served at `/metrics`.
 */
export function createMetrics() {
  const registry = new Registry();
  const requests = new Counter({
    name: "polar_mcp_gateway_http_requests_total",
    help: "HTTP requests answered, by surface (mcp, proxy, admin, health, metrics, other) and status code.",
    labelNames: ["surface", "status"] as const,
    registers: [registry],
  });
  const toolCalls = new Counter({
    name: "polar_mcp_gateway_tool_calls_total",
    help: "Tool calls (MCP tools/call and proxied REST calls), by account and outcome as in the audit log.",
    labelNames: ["account_id", "status"] as const,
    registers: [registry],
  });
  const denials = new Counter({
    name: "polar_mcp_gateway_denials_total",
    help: "Tool calls refused by the gateway, by account and reason (denied, rate_limited, unauthorized, expired).",
    labelNames: ["account_id", "reason"] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: "polar_mcp_gateway_rate_limited_total",
    help: "429 answers, by account and source: the gateway's own quotas or Polar's.",
    labelNames: ["account_id", "source"] as const,
    registers: [registry],
  });
  const upstreamLatency = new Histogram({
    name: "polar_mcp_gateway_upstream_duration_seconds",
    help: "Time to Polar's response headers, by account and HTTP status class.",
    labelNames: ["account_id", "status_class"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return {
    registry,
    request(surface: string, status: number): void {
      requests.inc({ surface, status: String(status) });
    },
    toolCall(accountId: string, status: CallStatus): void {
      toolCalls.inc({ account_id: accountId, status });
      if (
        status === "denied" ||
        status === "rate_limited" ||
        status === "unauthorized" ||
        status === "expired"
      )
        denials.inc({ account_id: accountId, reason: status });
    },
    rateLimited(accountId: string, source: "gateway" | "polar"): void {
      rateLimited.inc({ account_id: accountId, source });
    },
    upstream(accountId: string, status: number, seconds: number): void {
      upstreamLatency.observe(
        { account_id: accountId, status_class: `${Math.floor(status / 100)}xx` },
        seconds,
      );
    },
  };
}

/** The gateway's metrics. */
export type GatewayMetrics = ReturnType<typeof createMetrics>;

/** Which surface a path belongs to, for the request counter. */
export function surfaceOf(path: string): string {
  if (path.startsWith("/mcp/")) return "mcp";
  if (path.startsWith("/proxy/")) return "proxy";
  if (path.startsWith("/admin")) return "admin";
  if (path === "/healthz" || path === "/readyz") return "health";
  if (path === "/metrics") return "metrics";
  return "other";
}
