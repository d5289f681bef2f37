import { describe, expect, it } from "vitest";
import { DEFAULT_RESULT_BUDGET_CHARS } from "../src/index.js";
import { resumeAt } from "../src/polar-client/budget.js";
import { connect, fakePolar, json, textOf, type RecordedRequest } from "./helpers.js";

// 100 events of ~600 characters each: one page of 100 is ~60,000 characters of JSON.
const EVENTS = Array.from({ length: 100 }, (_, index) => ({
  id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
  name: "tool_call",
  timestamp: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString(),
  organization_id: "11111111-1111-4111-8111-111111111111",
  customer_id: "22222222-2222-4222-8222-222222222222",
  external_customer_id: `customer-${index}`,
  source: "user",
  metadata: { tool: "fortune", index, note: "x".repeat(380) },
}));

/** A fake Polar serving EVENTS by page and limit, as Polar paginates. */
function eventsPolar() {
  return fakePolar((request: RecordedRequest) => {
    if (request.url.pathname !== "/v1/events/") return undefined;
    const page = Number(request.url.searchParams.get("page") ?? 1);
    const limit = Number(request.url.searchParams.get("limit") ?? 10);
    const items = EVENTS.slice((page - 1) * limit, page * limit);
    return json(200, {
      items,
      pagination: { total_count: EVENTS.length, max_page: Math.ceil(EVENTS.length / limit) },
    });
  });
}

interface Page {
  items: { id: string }[];
  pagination: {
    next_page: number | null;
    next_limit?: number;
    returned?: number;
    omitted?: number;
  };
}

describe("results within a budget, cut at item boundaries with true pagination hints", () => {
  it("cuts a 100-item page under the budget, whole items only, and says how to get the rest", async () => {
    const polar = eventsPolar();
    const session = await connect({ fetch: polar.fetch });
    const result = await session.call("events_list", { limit: 100 });
    const text = textOf(result);
    expect(text.length).toBeLessThanOrEqual(DEFAULT_RESULT_BUDGET_CHARS);
    const page = result.structuredContent as unknown as Page;
    const kept = page.items.length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(100);
    expect(page.items).toEqual(EVENTS.slice(0, kept));
    expect(page.pagination).toMatchObject({ returned: kept, omitted: 100 - kept });
    expect(text).toContain(`${kept} of the 100 item(s) of page 1 fit the result budget`);
    expect(text).toMatch(
      /To continue from item \d+ \(\d+ item\(s\) from there on\): call events_list with \{"limit":\d+,"page":\d+\}, then page/,
    );
    // The text's JSON is the structured content: the summary does not claim items it lacks.
    expect(JSON.parse(text.slice(text.indexOf("\n") + 1))).toEqual(result.structuredContent);
    await session.close();
  });

  it("following the hints returns every event exactly once, in order", async () => {
    const polar = eventsPolar();
    const session = await connect({ fetch: polar.fetch });
    const seen: string[] = [];
    let args: Record<string, unknown> = { limit: 100 };
    for (let calls = 0; calls < 50; calls += 1) {
      const result = await session.call("events_list", args);
      expect(textOf(result).length).toBeLessThanOrEqual(DEFAULT_RESULT_BUDGET_CHARS);
      const page = result.structuredContent as unknown as Page;
      seen.push(...page.items.map((item) => item.id));
      if (page.pagination.next_page === null) break;
      args = {
        ...args,
        page: page.pagination.next_page,
        ...(page.pagination.next_limit ? { limit: page.pagination.next_limit } : {}),
      };
    }
    expect(seen).toEqual(EVENTS.map((event) => event.id));
    await session.close();
  });

  it("takes a smaller budget, and dynamic mode's hint is a call_operation call that works", async () => {
    const polar = eventsPolar();
    const session = await connect({
      fetch: polar.fetch,
      mode: "dynamic",
      resultBudgetChars: 5_000,
    });
    const result = await session.call("call_operation", {
      name: "events_list",
      arguments: { limit: 50 },
    });
    const text = textOf(result);
    expect(text.length).toBeLessThanOrEqual(5_000);
    const hint = /call call_operation with (\{.*\}), then page/.exec(text);
    expect(hint, text.slice(0, 400)).not.toBeNull();
    const next = JSON.parse(hint?.[1] ?? "{}") as {
      name: string;
      arguments: Record<string, unknown>;
    };
    expect(next.name).toBe("events_list");
    const kept = (result.structuredContent as unknown as Page).items.length;
    const again = await session.call("call_operation", next);
    const first = (again.structuredContent as unknown as Page).items[0];
    expect(first?.id).toBe(EVENTS[kept]?.id);
    await session.close();
  });

  it("cuts a single object's largest array and says so", async () => {
    const big = { id: "o1", lines: EVENTS, status: "paid" };
    const polar = fakePolar((r) =>
      r.url.pathname.startsWith("/v1/orders/") ? json(200, big) : undefined,
    );
    const session = await connect({ fetch: polar.fetch });
    const result = await session.call("orders_get", { id: "00000000-0000-4000-8000-000000000001" });
    const text = textOf(result);
    expect(text.length).toBeLessThanOrEqual(DEFAULT_RESULT_BUDGET_CHARS);
    const body = result.structuredContent as { lines: unknown[]; status: string };
    expect(body.status).toBe("paid");
    expect(body.lines).toEqual(EVENTS.slice(0, body.lines.length));
    expect(text).toContain(
      `lines holds 100 item(s), of which the first ${body.lines.length} were returned`,
    );
    await session.close();
  });

  it("resumes exactly at the first item not returned, whatever the page, limit and count kept", () => {
    for (const limit of [1, 7, 10, 25, 100]) {
      for (let page = 1; page <= 5; page += 1) {
        for (let kept = 1; kept <= limit; kept += 1) {
          const resume = resumeAt(page, limit, kept);
          expect(resume.limit).toBeLessThanOrEqual(kept);
          expect((resume.page - 1) * resume.limit).toBe((page - 1) * limit + kept);
        }
      }
    }
  });
});
