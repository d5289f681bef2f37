import { createPostgresRegistry } from "./postgres/registry.js";
import { createSqliteRegistry } from "./sqlite/registry.js";
import type { Registry } from "./types.js";

/** Default SQLite file of the registry. */
export const DEFAULT_DB_FILE = ".polar-gateway.sqlite";

/**
 * Opens the registry the options name: PostgreSQL when `databaseUrl` is set, else the
 * SQLite file `db` (default `.polar-gateway.sqlite`; `:memory:` for tests).
 */
export async function openRegistry(options: {
  db?: string;
  databaseUrl?: string;
  /** SQLite: longest asynchronous wait for another connection's lock (ms). */
  lockWaitMs?: number;
}): Promise<Registry> {
  if (options.databaseUrl) return createPostgresRegistry({ connectionString: options.databaseUrl });
  return createSqliteRegistry(
    options.db ?? DEFAULT_DB_FILE,
    options.lockWaitMs === undefined ? {} : { lockWaitMs: options.lockWaitMs },
  );
}
