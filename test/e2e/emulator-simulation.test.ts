// The emulator's production conditions the paywall is tested under: Polar's rate limits
// (429 + Retry-After) and Polar's delayed customer-meter balances (meter lag).
import { createEmulator, type EmulatorOptions } from "@polar-mcp/emulator";
import { describe, expect, it } from "vitest";

function setup(options: EmulatorOptions) {
  const emulator = createEmulator({ seed: "demo", ...options });
  const seed = emulator.seed!;
  const call = (method: string, path: string, body?: unknown) =>
    emulator.fetch(
      new Request(`http://emulator${path}`, {
        method,
        headers: {
          authorization: `Bearer ${seed.accessToken}`,
          "content-type": "application/json",
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  return { emulator, seed, call };
}

describe("emulator simulation", () => {
  it("rate limit: 429 with an empty body and Retry-After once the window's quota is spent", async () => {
    const { call } = setup({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await call("GET", "/v1/products/");
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(await last!.text()).toBe("");
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // The control plane is not Polar's API: never limited.
    expect((await call("GET", "/__emulator/health")).status).toBe(200);
  });

  it("meter lag: customer meters and state show balances as of the lag ago; events and quantities stay live", async () => {
    const { emulator, seed, call } = setup({ meterLagMs: 15_000 });
    // Credits granted at seed time become visible once the lag has passed.
    emulator.clock.advance(15_000);
    const balance = async () => {
      const state = (await (
        await call("GET", `/v1/customers/${seed.customerId}/state`)
      ).json()) as {
        active_meters: { balance: number }[];
      };
      return state.active_meters[0]?.balance;
    };
    expect(await balance()).toBe(100);
    await call("POST", "/v1/events/ingest", {
      events: Array.from({ length: 7 }, () => ({
        name: "tool_call",
        customer_id: seed.customerId,
      })),
    });
    expect(await balance()).toBe(100);
    const listed = (await (
      await call("GET", `/v1/events/?customer_id=${seed.customerId}&name=tool_call&limit=1`)
    ).json()) as { pagination: { total_count: number } };
    expect(listed.pagination.total_count).toBe(7);
    emulator.clock.advance(15_000);
    expect(await balance()).toBe(93);
  });
});
