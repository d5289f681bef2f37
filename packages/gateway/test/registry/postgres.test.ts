import { afterAll, beforeAll } from "vitest";
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
