import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresRegistry, openRegistry } from "../../src/index.js";
import { startPostgres, type PrivatePostgres } from "../helpers/postgres.js";
import { registryContract } from "./contract.js";

let postgres: PrivatePostgres;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => postgres?.stop());

registryContract("PostgreSQL", () => createPostgresRegistry({ connectionString: postgres.url }));
registryContract("PostgreSQL through openRegistry", () =>
  openRegistry({ databaseUrl: postgres.url }),
);

describe("PostgreSQL going away", () => {
  it("answers 503 database_unavailable (with Retry-After) instead of a 500 once the server is gone", async () => {
    const own = await startPostgres();
    const registry = await createPostgresRegistry({
      connectionString: own.url,
      connectionTimeoutMs: 2_000,
    });
    await registry.ping();
    await own.stop();
    await expect(registry.ping()).rejects.toMatchObject({
      status: 503,
      code: "database_unavailable",
      headers: { "Retry-After": "1" },
    });
    await expect(registry.getAccount("acc_x")).rejects.toMatchObject({ status: 503 });
    await registry.close();
  });
});
