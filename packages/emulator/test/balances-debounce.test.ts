import { describe, expect, it } from "vitest";
import type { EmulatorOptions } from "../src/index.js";
import { demoEmulator } from "./helpers.js";

/** The demo customer's balance on the demo meter, from customer state and customer meters. */
function setup(options: EmulatorOptions = {}) {
  const env = demoEmulator(options);
  const { call, seed } = env;
  const balances = async () => {
    const state = await call("GET", `/v1/customers/${seed.customerId}/state`);
    const meters = await call("GET", `/v1/customer-meters/?customer_id=${seed.customerId}`);
    return {
      state: state.body.active_meters[0].balance as number,
      meter: meters.body.items[0].balance as number,
    };
  };
  const use = (count: number) =>
    call("POST", "/v1/events/ingest", {
      body: {
        events: Array.from({ length: count }, () => ({
          name: "tool_call",
          customer_id: seed.customerId,
        })),
      },
    });
  const live = async () =>
    (await call("GET", `/v1/events/?customer_id=${seed.customerId}&name=tool_call&limit=1`)).body
      .pagination.total_count as number;
  return { ...env, balances, use, live };
}

describe("customer meter balances, recomputed as Polar does", () => {
  it("by default count usage 15 s after the customer's last ingestion, not at once", async () => {
    const { emulator, balances, use, live } = setup();
    expect(await balances()).toEqual({ state: 100, meter: 100 });
    await use(7);
    // Events are live; the balance is the one of the last recompute.
    expect(await live()).toBe(7);
    expect(await balances()).toEqual({ state: 100, meter: 100 });
    emulator.clock.advance(14_000);
    expect(await balances()).toEqual({ state: 100, meter: 100 });
    // Another ingestion before the recompute ran pushes it 15 s further (trailing debounce).
    await use(3);
    emulator.clock.advance(2_000);
    expect(await balances()).toEqual({ state: 100, meter: 100 });
    emulator.clock.advance(13_000);
    expect(await balances()).toEqual({ state: 90, meter: 90 });
    // A later batch: the recompute that ran counts the earlier ones, not the new one yet.
    await use(5);
    expect(await balances()).toEqual({ state: 90, meter: 90 });
    emulator.clock.advance(15_000);
    expect(await balances()).toEqual({ state: 85, meter: 85 });
  });

  it("recomputes at least every 180 min under continuous ingestion (Polar's max threshold)", async () => {
    const { emulator, balances, use } = setup();
    // One event every 10 s: the 15 s debounce alone would never let the recompute run.
    const tick = async () => {
      await use(1);
      emulator.clock.advance(10_000);
    };
    for (let i = 0; i < 1020; i++) await tick();
    expect((await balances()).meter).toBe(100); // 170 min: still the seed's balance
    for (let i = 1020; i < 1090; i++) await tick();
    // The run 180 min after the first pending ingestion counted the 1080 events before it;
    // the 10 sent since wait for the next one.
    expect((await balances()).meter).toBe(100 - 1080);
  });

  it("counts credits at once, and usage too with instantBalances: true", async () => {
    const debounced = setup();
    await debounced.use(40);
    expect((await debounced.balances()).meter).toBe(100);
    const instant = setup({ instantBalances: true });
    await instant.use(40);
    expect(await instant.balances()).toEqual({ state: 60, meter: 60 });
  });

  it("keeps a customer's schedule when it sends by external id", async () => {
    const { emulator, call, seed, balances } = setup();
    await call("POST", "/v1/events/ingest", {
      body: {
        events: Array.from({ length: 4 }, () => ({
          name: "tool_call",
          external_customer_id: seed.externalCustomerId,
        })),
      },
    });
    expect((await balances()).meter).toBe(100);
    emulator.clock.advance(15_000);
    expect((await balances()).meter).toBe(96);
  });
});
