// The request budget's order of service, on an injected clock: ingestion may take the last
// token, first sights leave a fifth, sweeps leave half; a 429 stops every class.
import { describe, expect, it } from "vitest";
import { MemoryBucketStore } from "../src/budget/bucket-store.js";
import { inTurn, nextTurn, RequestBudget } from "../src/budget/request-budget.js";
import { take, type BucketState } from "../src/budget/token-bucket.js";

const params = { perMinute: 600, capacity: 10 }; // 10 tokens a second, 10 at most

describe("token bucket with priority by headroom", () => {
  it("sweeps stop at half, first sights at a fifth, ingestion at empty", () => {
    const state: BucketState = { tokens: 10, at: 0, pausedUntil: 0 };
    let sweeps = 0;
    while (take(state, 0, params, 5).granted) sweeps += 1;
    let firstSights = 0;
    while (take(state, 0, params, 2).granted) firstSights += 1;
    let ingests = 0;
    while (take(state, 0, params, 0).granted) ingests += 1;
    expect([sweeps, firstSights, ingests]).toEqual([5, 3, 2]);
  });

  it("says how long to wait, and refills at its rate", () => {
    const state: BucketState = { tokens: 0, at: 0, pausedUntil: 0 };
    const refused = take(state, 0, params, 0);
    expect(refused).toEqual({ granted: false, waitMs: 100 });
    expect(take(state, 100, params, 0).granted).toBe(true);
    expect(take(state, 100, params, 0).granted).toBe(false);
  });

  it("a 429's Retry-After stops every class, ingestion included, until it passes", async () => {
    let now = 0;
    const store = new MemoryBucketStore(() => now);
    await store.pause(30_000);
    expect(await store.take("main", params, 0)).toEqual({ granted: false, waitMs: 30_000 });
    now = 30_000;
    expect((await store.take("main", params, 0)).granted).toBe(true);
  });
});

describe("request budget: turns and prepaid tokens", () => {
  const settings = { requestsPerMinute: 6000, sweepsPerMinute: 600, firstSightWaitMs: 10_000 };

  /** A budget whose bucket is empty: every request below waits for a refill (10 ms each). */
  async function drained() {
    const budget = new RequestBudget(new MemoryBucketStore(), { ...settings, burst: 5 });
    for (let i = 0; i < 5; i++) await budget.acquire("ingest");
    return budget;
  }

  it("a first sight's reads go out one after another, in the turn it started in", async () => {
    const budget = await drained();
    const order: string[] = [];
    const firstSight = (name: string) =>
      inTurn(nextTurn(), async () => {
        for (let read = 0; read < 3; read++) {
          await budget.acquire("first-sight");
          order.push(name);
        }
      });
    await Promise.all([firstSight("a"), firstSight("b"), firstSight("c")]);
    expect(order).toEqual(["a", "a", "a", "b", "b", "b", "c", "c", "c"]);
  });

  it("a prepaid read spends the tokens it took first, then waits for more as usual", async () => {
    const budget = await drained();
    const sends: number[] = [];
    await budget.prepay("first-sight", 2, async () => {
      for (let i = 0; i < 3; i++)
        await budget.send(
          "first-sight",
          undefined,
          async () => sends.push(i),
          () => false,
        );
    });
    expect(sends).toEqual([0, 1, 2]);
    // Two taken ahead, one more for the third request: never a token per request on top.
    expect(budget.sent["first-sight"]).toBe(3);
  });
});
