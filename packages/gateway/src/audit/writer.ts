import type { GatewayLogger } from "../observability/logger.js";
import { loggableError } from "../observability/logger.js";
import type { AuditEntry, Registry } from "../registry/types.js";

/**
 * Audit entries are written after the response, in batches: the entries queued during one
 * turn of the event loop go to the registry in one transaction (on `setImmediate`), so the
 * insert (synchronous on SQLite) is not on the request's path, and calls that end together
 * share one commit. Reads of the audit log through this process call {@link flush} first, and
 * the gateway's `close` flushes before the registry closes, so a shutdown loses nothing; a
 * process that is killed loses at most the entries of its last turn. A batch that cannot be
 * written is logged (one line, with its size) and dropped; the calls it describes are not
 * failed by it.
 */
export function createAuditWriter(registry: Pick<Registry, "recordCalls">, log: GatewayLogger) {
  let queue: AuditEntry[] = [];
  let scheduled = false;
  // Writes run one after another, so entries reach the registry in the order they ended.
  let writing: Promise<void> = Promise.resolve();

  const write = (): Promise<void> => {
    scheduled = false;
    const batch = queue;
    if (batch.length === 0) return writing;
    queue = [];
    writing = writing
      .then(() => registry.recordCalls(batch))
      .catch((error: unknown) => {
        log.error(
          {
            entries: batch.length,
            server_ids: [...new Set(batch.map((e) => e.serverId))].slice(0, 10),
            error: loggableError(error),
          },
          "audit entries not written",
        );
      });
    return writing;
  };

  return {
    /** Queues entries; they are written once the current turn of the event loop ends. */
    add(entries: readonly AuditEntry[]): void {
      if (entries.length === 0) return;
      queue.push(...entries);
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void write());
      }
    },
    /** Writes what is queued now and resolves once every write so far has ended. */
    flush(): Promise<void> {
      return write();
    },
  };
}

/** The audit writer's type. */
export type AuditWriter = ReturnType<typeof createAuditWriter>;
