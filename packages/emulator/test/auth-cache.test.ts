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

  it("refuses a control-plane token given expires_in once the emulator's clock passes it, though the lookup was cached", async () => {
    const { call, seed } = demoEmulator();
    const clock = async () => Date.parse((await call("GET", "/__emulator/clock")).body.now);
    const before = await clock();
    const created = await call("POST", "/__emulator/tokens", {
      body: { organization_id: seed.organizationId, expires_in: 60 },
    });
    const after = await clock();
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    const expiresAt = Date.parse(created.body.expires_at as string);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 60_000);
    expect((await call("GET", "/v1/products/", { token })).status).toBe(200);
    const advance = (seconds: number) =>
      call("POST", "/__emulator/clock/advance", { body: { seconds } });
    expect((await advance(45)).status).toBe(200);
    expect((await call("GET", "/v1/products/", { token })).status).toBe(200);
    expect((await advance(16)).status).toBe(200);
    expect((await call("GET", "/v1/products/", { token })).status).toBe(401);
    // The seed's token has no expiry and still works.
    expect((await call("GET", "/v1/products/")).status).toBe(200);
  });

  it("refuses a control-plane token given expires_at once the clock reaches that date", async () => {
    const { call, seed } = demoEmulator();
    const now = Date.parse((await call("GET", "/__emulator/clock")).body.now as string);
    const expiresAt = new Date(now + 3_600_000).toISOString();
    const created = await call("POST", "/__emulator/tokens", {
      body: { organization_id: seed.organizationId, expires_at: expiresAt },
    });
    expect(created.body.expires_at).toBe(expiresAt);
    const token = created.body.token as string;
    expect((await call("GET", "/v1/products/", { token })).status).toBe(200);
    await call("POST", "/__emulator/clock/advance", { body: { to: expiresAt } });
    expect((await call("GET", "/v1/products/", { token })).status).toBe(401);
  });

  it("answers 422 naming the field for an expires_in that is not a positive whole number, or both fields", async () => {
    const { call, seed } = demoEmulator();
    for (const expires_in of [0, -5, 1.5, "60"]) {
      const answer = await call("POST", "/__emulator/tokens", {
        body: { organization_id: seed.organizationId, expires_in },
      });
      expect(answer.status).toBe(422);
      expect(answer.body.detail[0].loc).toEqual(["body", "expires_in"]);
    }
    const both = await call("POST", "/__emulator/tokens", {
      body: {
        organization_id: seed.organizationId,
        expires_in: 60,
        expires_at: "2030-01-01T00:00:00Z",
      },
    });
    expect(both.status).toBe(422);
    const badDate = await call("POST", "/__emulator/tokens", {
      body: { organization_id: seed.organizationId, expires_at: "next week" },
    });
    expect(badDate.body.detail[0].loc).toEqual(["body", "expires_at"]);
  });
});
