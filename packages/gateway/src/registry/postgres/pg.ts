import { createRequire } from "node:module";
import type pg from "pg";

/** The constructor of a pg connection pool. */
export type PgPoolConstructor = typeof pg.Pool;

/**
 * Loads pg's Pool. The normal path is `import("pg")`. When the process runs with
 * `--conditions import` (as vitest's workers do), pg's own `require("pg-pool")` would
 * resolve to pg-pool's ESM wrapper and pg would fail to load; the pool is then assembled
 * from the same two parts pg uses (pg-pool's class bound to pg's Client), which is all
 * `pg.Pool` is.
 */
export async function loadPgPool(): Promise<PgPoolConstructor> {
  const require = createRequire(import.meta.url);
  if (!require.resolve("pg-pool").endsWith(".mjs")) {
    const mod = (await import("pg")) as { default: typeof pg };
    return mod.default.Pool;
  }
  const specifiers = ["pg-pool", "pg/lib/client.js"];
  const [poolModule, clientModule] = (await Promise.all(
    specifiers.map((s) => import(s)),
  )) as Array<{ default: unknown }>;
  const BasePool = poolModule?.default as new (options: unknown, client: unknown) => object;
  const Client = clientModule?.default;
  class BoundPool extends BasePool {
    constructor(options: unknown) {
      super(options, Client);
    }
  }
  return BoundPool as unknown as PgPoolConstructor;
}
