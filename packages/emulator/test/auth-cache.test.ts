import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

describe("tokens are cached in memory, and writes invalidate the cache", () => {
  it("accepts a token created after a lookup missed it", async () => {
    const { call, seed } = demoEmulator();
    const text = "polar_oat_created_later";
    expect((await call("GET", "/v1/products/", { token: text })).status).toBe(401);
    const created = await call("POST", "/__emulator/tokens", {
      body: { organization_id: seed.organizationId },
    });
    const fresh = created.body.token as string;
    expect((await call("GET", "/v1/products/", { token: fresh })).status).toBe(200);
  });

  it("refuses a cached token once the store is reset", async () => {
    const { call } = demoEmulator();
    expect((await call("GET", "/v1/products/")).status).toBe(200);
    expect((await call("POST", "/__emulator/reset")).status).toBe(200);
    expect((await call("GET", "/v1/products/")).status).toBe(401);
  });

  it("checks expiry on every request, on the emulator's clock", async () => {
    const { call, emulator, seed } = demoEmulator();
    const tokens = emulator.context.tokens;
    const token = tokens.findBy("token", seed.accessToken)[0]!;
    const expires = new Date(emulator.clock.now().getTime() + 60_000).toISOString();
    tokens.put({ ...token, expires_at: expires });
    expect((await call("GET", "/v1/products/")).status).toBe(200);
    emulator.clock.advance(61_000);
    expect((await call("GET", "/v1/products/")).status).toBe(401);
  });
});
