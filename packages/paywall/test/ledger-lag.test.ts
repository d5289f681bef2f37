// The ledger against Polar's delayed balances (emulator meter lag 15 s): an event is never
// counted twice (locally and in Polar's balance) nor forgotten, whether it is pending in
// the outbox, in flight, or acknowledged, and whatever the lagged balance says.
import { describe, expect, it } from "vitest";
import { createFixture } from "./emulator-fixture.js";

const EVENT = { name: "tool_call", metadata: { tool_name: "greet" } };
const LAG = 15_000;

async function lagged() {
  // The lag alone is simulated: instant balances, not the emulator's default debounced recompute.
  const f = createFixture("background", { meterLagMs: LAG, instantBalances: true });
  // The seed's credits are older than the lag, as a real customer's would be.
  f.emulator.clock.advance(LAG);
  const polar = f.provider({ batch: { intervalMs: 3_600_000 } });
  const laggedBalance = async () => {
    const state = await f.api<{ active_meters: { balance: number }[] }>(
      "GET",
      `/v1/customers/${f.seed.customerId}/state`,
    );
    return state.active_meters[0]?.balance;
  };
  const call = async () => {
    const authorization = await polar.authorize(f.seed.licenseKey, EVENT);
    if (authorization.valid) await authorization.commit();
    return authorization;
  };
  return { f, polar, laggedBalance, call };
}

describe("ledger under Polar's meter lag", () => {
  it("acknowledged events: counted once after a reload, while Polar's balance still shows none of them", async () => {
    const { f, polar, laggedBalance, call } = await lagged();
    for (let i = 0; i < 60; i++) expect((await call()).valid).toBe(true);
    await polar.flush();
    expect(await f.eventCount(f.seed.customerId)).toBe(60);
    expect(await laggedBalance()).toBe(100);
    await polar.invalidateCustomer(f.seed.customerId);
    expect(await call()).toMatchObject({ valid: true, balance: 39 });
  });

  it("pending and acknowledged events across reloads: exactly the credits are served", async () => {
    const { f, polar, call } = await lagged();
    let served = 0;
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 10; i++) if ((await call()).valid) served += 1;
      // Alternate: reload with events still in the outbox, then with them acknowledged.
      if (round % 2 === 1) await polar.flush();
      await polar.invalidateCustomer(f.seed.customerId);
    }
    expect(served).toBe(100);
    await polar.flush();
    expect(await f.eventCount(f.seed.customerId)).toBe(100);
    const denied = await call();
    expect(denied).toMatchObject({ valid: false, code: "meter_credit_exhausted", balance: 0 });
  });

  it("another process on the same Polar sees acknowledged events live, and none twice", async () => {
    const { f, polar, call } = await lagged();
    for (let i = 0; i < 30; i++) await call();
    await polar.flush();
    for (let i = 0; i < 20; i++) await call();
    // The other process sees the 30 shipped events (not the 20 still in this outbox).
    const other = f.provider({ outbox: ":memory:", cache: { ttlMs: 1000 } });
    const first = await other.authorize(f.seed.licenseKey, EVENT);
    expect(first).toMatchObject({ balance: 69 });
    first.release();
    await polar.flush();
    await other.invalidateCustomer(f.seed.customerId);
    expect(await other.authorize(f.seed.licenseKey, EVENT)).toMatchObject({ balance: 49 });
  });
});
