import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConformance, type Conformance, type ConformanceCase } from "./harness.js";

/** Every `*.cases.ts` beside this file contributes cases (one file per area of the API). */
const directory = fileURLToPath(new URL(".", import.meta.url));
const cases: ConformanceCase[] = [];
for (const file of readdirSync(directory)
  .filter((f) => f.endsWith(".cases.ts"))
  .sort()) {
  const module = (await import(`./${file}`)) as { cases: ConformanceCase[] };
  cases.push(...module.cases);
}

let h: Conformance;
beforeAll(async () => {
  h = await startConformance();
});
afterAll(async () => {
  await h.close();
});

/**
 * Runs one SDK's side of a case, then checks on the wire that the operation itself was
 * called with a 2xx answer and that every response body seen validated against the schema.
 */
async function run(c: ConformanceCase, side: "latest" | "strict") {
  const before = h.exchanges.length;
  await c[side](h);
  const seen = h.exchanges.slice(before);
  expect(
    seen.filter((e) => e.operationId === c.operationId && e.status < 300),
    `${c.operationId} was not called successfully`,
  ).not.toHaveLength(0);
  expect(seen.filter((e) => e.schemaErrors.length > 0)).toEqual([]);
}

describe("conformance: official SDKs against the emulator over a real socket", () => {
  it("has a case for every implemented operation (and none for the rest)", () => {
    const covered = new Set(cases.map((c) => c.operationId));
    expect([...h.emulator.implemented].filter((id) => !covered.has(id)).sort()).toEqual([]);
    expect([...covered].filter((id) => !h.emulator.implemented.has(id)).sort()).toEqual([]);
  });

  describe("@polar-sh/sdk latest (createPolar, 2026-10)", () => {
    for (const c of cases) it(c.operationId, () => run(c, "latest"));
  });

  describe("@polar-sh/sdk 0.49 (strict zod validation)", () => {
    for (const c of cases) it(c.operationId, () => run(c, "strict"));
  });
});
