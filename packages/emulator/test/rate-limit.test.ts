import { describe, expect, it } from "vitest";
import { demoEmulator } from "./helpers.js";

const SECOND = 1_000;

/** The demo key validated through an endpoint, from a client named by X-Forwarded-For. */
function validator(env: ReturnType<typeof demoEmulator>, path: string, token?: string) {
  const { call, seed } = env;
  return (client = "198.51.100.1") =>
    call("POST", path, {
      token: token ?? null,
      headers: { "x-forwarded-for": client },
      body: { key: seed.licenseKey, organization_id: seed.organizationId },
    });
}

describe("customer-portal license keys: 3 requests/s per client, then blocked 60 s", () => {
  it("answers the 4th request in a second with an empty 429 and Retry-After", async () => {
    const env = demoEmulator();
    const validate = validator(env, "/v1/customer-portal/license-keys/validate");
    // Start at a second boundary so the three calls share one window.
    env.emulator.clock.advance(SECOND - (env.emulator.clock.now().getTime() % SECOND));
    for (let i = 0; i < 3; i++) expect((await validate()).status).toBe(200);
    const blocked = await validate();
    expect(blocked.status).toBe(429);
    expect(blocked.body).toBeUndefined();
    expect(blocked.headers.get("retry-after")).toBe("60");
    expect(blocked.headers.get("x-ratelimit-limit")).toBeNull();
  });

  it("keeps the client blocked for 60 s on the emulator's clock, then admits it", async () => {
    const env = demoEmulator();
    const validate = validator(env, "/v1/customer-portal/license-keys/validate");
    env.emulator.clock.advance(SECOND - (env.emulator.clock.now().getTime() % SECOND));
    for (let i = 0; i < 4; i++) await validate();
    env.emulator.clock.advance(45 * SECOND);
    const still = await validate();
    expect(still.status).toBe(429);
    expect(still.headers.get("retry-after")).toBe("15");
    env.emulator.clock.advance(15 * SECOND);
    expect((await validate()).status).toBe(200);
  });

  it("counts validate, activate and deactivate together, per client", async () => {
    const env = demoEmulator();
    const { call, seed, emulator } = env;
    emulator.clock.advance(SECOND - (emulator.clock.now().getTime() % SECOND));
    const portal = (action: string, client: string, extra: Record<string, unknown> = {}) =>
      call("POST", `/v1/customer-portal/license-keys/${action}`, {
        token: null,
        headers: { "x-forwarded-for": client },
        body: { key: seed.licenseKey, organization_id: seed.organizationId, ...extra },
      });
    const id = "00000000-0000-4000-8000-000000000000";
    expect((await portal("validate", "a")).status).toBe(200);
    expect((await portal("activate", "a", { label: "m" })).status).toBe(403);
    expect((await portal("deactivate", "a", { activation_id: id })).status).toBe(404);
    expect((await portal("validate", "a")).status).toBe(429);
    // Another client has its own budget.
    expect((await portal("validate", "b")).status).toBe(200);
  });

  it("never limits the organization endpoint", async () => {
    const env = demoEmulator();
    const validate = validator(env, "/v1/license-keys/validate", env.seed.accessToken);
    env.emulator.clock.advance(SECOND - (env.emulator.clock.now().getTime() % SECOND));
    for (let i = 0; i < 20; i++) expect((await validate()).status).toBe(200);
  });

  it("is off with portalRateLimit: false", async () => {
    const env = demoEmulator({ portalRateLimit: false });
    const validate = validator(env, "/v1/customer-portal/license-keys/validate");
    env.emulator.clock.advance(SECOND - (env.emulator.clock.now().getTime() % SECOND));
    for (let i = 0; i < 20; i++) expect((await validate()).status).toBe(200);
  });
});
