import type { GatewayContext } from "../context.js";
import type { ServerRecord } from "../registry/types.js";
import type { RateLimitCheck, RateLimitState } from "./limiter.js";

/**
 * Tool calls spend the `server` and `account` quotas, one unit per `tools/call` (a batch
 * counts item by item, all or nothing). A request without a tool call (initialize, lists,
 * ping, notifications) spends the server's `protocol` quota instead, and only reads the
 * tool-call quotas so its headers still show where they stand.
 */
export function rateLimitChecks(
  ctx: GatewayContext,
  server: ServerRecord,
  toolCalls: number,
): RateLimitCheck[] {
  const tools = [
    { name: "server", key: `server:${server.id}`, policy: ctx.limits.server, amount: toolCalls },
    {
      name: "account",
      key: `account:${server.accountId}`,
      policy: ctx.limits.account,
      amount: toolCalls,
    },
  ];
  if (toolCalls > 0) return tools;
  return [
    ...tools,
    { name: "protocol", key: `protocol:${server.id}`, policy: ctx.limits.protocol, amount: 1 },
  ];
}

/** What a refusal says: how much the request asked for and which quotas refused it. */
export function describeRefusal(states: RateLimitState[], toolCalls: number): string {
  const what = toolCalls > 0 ? `${toolCalls} tool call${toolCalls > 1 ? "s" : ""}` : "1 request";
  const limits = states
    .filter((s) => s.exceeded)
    .map(
      (s) =>
        `${s.name}: ${s.policy.limit} ${s.name === "protocol" ? "requests" : "tool calls"} per ${s.policy.windowSeconds} s, ${s.remaining} left`,
    )
    .join("; ");
  return `this request has ${what}; ${limits}`;
}
