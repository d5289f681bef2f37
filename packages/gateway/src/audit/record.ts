import { newId } from "../crypto/secrets.js";
import { isoNow, type GatewayContext } from "../context.js";
import { loggableError } from "../observability/logger.js";
import type { ToolCallRequest } from "../mcp/jsonrpc.js";
import type { CallStatus, ServerRecord } from "../registry/types.js";

/** How one tool call ended, as the audit log keeps it. */
export interface CallOutcome {
  call: ToolCallRequest;
  status: CallStatus;
  upstreamStatus: number | null;
}

/** Longest tool name kept in an entry (longer names are cut, ending in "…"). */
export const MAX_AUDIT_TOOL_LENGTH = 128;
/** Largest arguments kept (JSON bytes); larger ones are replaced by `{"truncated":true,"bytes":n}`. */
export const MAX_AUDIT_ARGUMENTS_BYTES = 8 * 1024;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const lastPrune = new WeakMap<GatewayContext, number>();

/**
 * Queues one audit entry per tool call: server, account, tool, status, Polar's status and
 * the request's latency, with bounded field sizes. Arguments only with `auditArguments`;
 * results never. The entries are written right after the response, in a batch (see
 * `createAuditWriter`); one that cannot be written does not fail the call it describes: it
 * is logged instead. Entries past the retention are deleted at most once an hour, in the
 * background.
 */
export function recordCalls(
  ctx: GatewayContext,
  server: ServerRecord,
  outcomes: readonly CallOutcome[],
  latencyMs: number,
): void {
  const at = isoNow(ctx);
  pruneOldEntries(ctx);
  ctx.audit.add(
    outcomes.map((o) => {
      ctx.metrics.toolCall(server.accountId, o.status);
      return {
        id: newId("call"),
        at,
        serverId: server.id,
        accountId: server.accountId,
        tool: bounded(o.call.operation || o.call.name),
        status: o.status,
        upstreamStatus: o.upstreamStatus,
        latencyMs: Math.round(latencyMs * 100) / 100,
        arguments: ctx.auditArguments ? boundedArguments(o.call.arguments) : null,
      };
    }),
  );
}

function bounded(tool: string): string {
  return tool.length <= MAX_AUDIT_TOOL_LENGTH
    ? tool
    : `${tool.slice(0, MAX_AUDIT_TOOL_LENGTH - 1)}…`;
}

function boundedArguments(args: unknown): string {
  const json = JSON.stringify(args ?? {});
  const bytes = Buffer.byteLength(json);
  return bytes <= MAX_AUDIT_ARGUMENTS_BYTES ? json : JSON.stringify({ truncated: true, bytes });
}

function pruneOldEntries(ctx: GatewayContext): void {
  const now = ctx.now();
  if (now - (lastPrune.get(ctx) ?? 0) < PRUNE_EVERY_MS) return;
  lastPrune.set(ctx, now);
  const before = new Date(now - ctx.auditRetentionDays * 86_400_000).toISOString();
  ctx.registry.pruneCalls(before).catch((error: unknown) => {
    lastPrune.delete(ctx);
    ctx.log.error({ error: loggableError(error) }, "audit retention: old entries not deleted");
  });
}
