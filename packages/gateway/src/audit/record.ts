import { newId } from "../crypto/secrets.js";
import { isoNow, type GatewayContext } from "../context.js";
import type { ToolCallRequest } from "../mcp/jsonrpc.js";
import type { CallStatus, ServerRecord } from "../registry/types.js";

/** How one tool call ended, as the audit log keeps it. */
export interface CallOutcome {
  call: ToolCallRequest;
  status: CallStatus;
  upstreamStatus: number | null;
}

/**
 * Writes one audit entry per tool call: server, account, tool, status, Polar's status and
 * the request's latency. Arguments only with `auditArguments`; results never. An entry
 * that cannot be written does not fail the call it describes.
 */
export async function recordCalls(
  ctx: GatewayContext,
  server: ServerRecord,
  outcomes: readonly CallOutcome[],
  latencyMs: number,
): Promise<void> {
  const at = isoNow(ctx);
  await Promise.all(
    outcomes.map((o) =>
      ctx.registry
        .recordCall({
          id: newId("call"),
          at,
          serverId: server.id,
          accountId: server.accountId,
          tool: o.call.operation || o.call.name,
          status: o.status,
          upstreamStatus: o.upstreamStatus,
          latencyMs: Math.round(latencyMs * 100) / 100,
          arguments: ctx.auditArguments ? JSON.stringify(o.call.arguments ?? {}) : null,
        })
        .catch(() => undefined),
    ),
  );
}
