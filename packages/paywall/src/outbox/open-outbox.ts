import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Configuration, PaywallLogger } from "../provider/config.js";
import { PaywallError } from "../errors.js";
import { MemoryOutbox } from "./memory-outbox.js";
import { loadSqlite, SQLITE_PACKAGE } from "./native-sqlite.js";
import type { Outbox } from "./outbox.js";
import { SqliteOutbox } from "./sqlite-outbox.js";

/**
 * Where the durable outbox lives unless configured: the user's state directory
 * (`$XDG_STATE_HOME/polar-paywall`, else `~/.local/state/polar-paywall`), one file per
 * configuration — never the working directory.
 */
export function defaultOutboxDir(): string {
  const state = process.env.XDG_STATE_HOME?.trim() || join(homedir(), ".local", "state");
  return join(state, "polar-paywall");
}

/** The configured outbox (`outbox`, env `POLAR_PAYWALL_OUTBOX`), or undefined for the default. */
export function configuredOutbox(config: Configuration): string | undefined {
  return config.outbox ?? (process.env.POLAR_PAYWALL_OUTBOX?.trim() || undefined);
}

/** The file the outbox of this configuration uses (or `":memory:"`). */
export function outboxPath(config: Configuration, scope: string): string {
  return configuredOutbox(config) ?? join(defaultOutboxDir(), `outbox-${scope}.sqlite`);
}

let warnedInMemory = false;

/**
 * Opens the outbox: SQLite when better-sqlite3 loads and the file can be written, else the
 * in-memory outbox with one warning saying why and what that guarantees. Never throws for
 * the default location; a configured file that cannot be used falls back the same way.
 */
export function openOutbox(
  config: Readonly<Configuration>,
  scope: string,
  logger: PaywallLogger,
): Outbox {
  const path = outboxPath(config, scope);
  if (path === ":memory:") return new MemoryOutbox();
  const fallback = (reason: string): Outbox => {
    if (warnedInMemory) return new MemoryOutbox();
    warnedInMemory = true;
    const message =
      "paywall: usage outbox kept in memory: usage not yet shipped is lost if the process crashes (a normal exit and close() still ship it)";
    const fields = {
      code: "outbox_in_memory",
      reason,
      fix: `install ${SQLITE_PACKAGE}, or set \`outbox\` to a writable file`,
    };
    // The configured logger, else Node's own warning channel (stderr, once per process).
    if (config.logger) logger.warn(message, fields);
    else
      process.emitWarning(`${message}: ${reason}; ${fields.fix}.`, {
        type: "PolarPaywallWarning",
        code: "POLAR_PAYWALL_OUTBOX_IN_MEMORY",
      });
    return new MemoryOutbox();
  };
  const sqlite = loadSqlite();
  if (!sqlite.ok) return fallback(sqlite.reason);
  try {
    if (configuredOutbox(config) === undefined) mkdirSync(defaultOutboxDir(), { recursive: true });
    return new SqliteOutbox(sqlite.Database, path, scope, config.outboxDurability);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return fallback(
      typeof code === "string"
        ? `the outbox file cannot be opened (${code})`
        : "the outbox file cannot be opened",
    );
  }
}

/** The durable outbox or a clear error (tools such as `reconcile` that read an existing file). */
export function openSqliteOutbox(path: string, scope: string): Outbox {
  const sqlite = loadSqlite();
  if (!sqlite.ok)
    throw new PaywallError(
      "outbox_unavailable",
      `Cannot read the outbox: ${sqlite.reason}. Install ${SQLITE_PACKAGE}.`,
    );
  return new SqliteOutbox(sqlite.Database, path, scope);
}
