import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteRegistry, openRegistry } from "../../src/index.js";
import { registryContract } from "./contract.js";

registryContract("SQLite :memory:", async () => createSqliteRegistry(":memory:"));
registryContract("SQLite through openRegistry", async () => openRegistry({ db: ":memory:" }));

describe("SQLite registry file", () => {
  const dir = mkdtempSync(join(tmpdir(), "polar-gateway-sqlite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps everything across a reopen", async () => {
    const file = join(dir, "registry.sqlite");
    const first = createSqliteRegistry(file);
    await first.createAccount({
      id: "acc_1",
      name: "Acme",
      environment: "sandbox",
      baseUrl: "https://sandbox-api.polar.sh",
      credentialCiphertext: "v1.x",
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    await first.close();
    const second = createSqliteRegistry(file);
    expect((await second.getAccount("acc_1"))?.environment).toBe("sandbox");
    await second.close();
  });
});
