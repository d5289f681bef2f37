import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

describe("routing through the operation index", () => {
  it("prefers a static segment over a parameter and ignores a trailing slash", async () => {
    const { call, seed } = demoEmulator();
    const external = await call("GET", "/v1/customers/external/demo-user");
    expect(external.status).toBe(200);
    expect(external.body.id).toBe(seed.customerId);
    for (const path of [`/v1/customers/${seed.customerId}`, `/v1/customers/${seed.customerId}/`])
      expect((await call("GET", path)).body.id).toBe(seed.customerId);
    expect((await call("GET", "/v1/products")).status).toBe(200);
  });

  it("decodes path parameters and answers 404 for unknown paths and methods", async () => {
    const { call, seed } = demoEmulator();
    const encoded = await call("GET", "/v1/customers/external/demo%2Duser");
    expect(encoded.body.id).toBe(seed.customerId);
    expect(await call("GET", "/v1/nothing-here")).toMatchObject({
      status: 404,
      body: { detail: "Not Found" },
    });
    expect((await call("PUT", "/v1/products/")).status).toBe(404);
  });
});
