// What a model sees of Polar's real answers (the emulator's, same wire): pagination
// hints that walk a list without gaps, and Polar errors mapped to isError results.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, textOf } from "./helpers.js";
import {
  connectToEmulator,
  EMULATOR_BASE_URL,
  emulatorFetch,
  type EmulatorSession,
  type Page,
} from "./emulator.js";

const MISSING_ID = "00000000-0000-4000-8000-000000000000";

describe("list pagination hints against the emulator", () => {
  let s: EmulatorSession;
  beforeAll(async () => {
    s = await connectToEmulator();
    for (const n of [1, 2, 3, 4]) {
      await s.ok("customers_create", { email: `page-${n}@example.com`, name: `Page ${n}` });
    }
  });
  afterAll(() => s.close());

  it("walks every page by following next_page, each customer exactly once", async () => {
    const all = await s.ok<Page<{ id: string }>>("customers_list", { limit: 100 });
    const total = all.pagination.total_count;
    expect(total).toBe(5); // the demo customer and the four above
    expect(all.pagination).toMatchObject({ page: 1, max_page: 1, next_page: null });

    const seen: string[] = [];
    let page: number | null = 1;
    let calls = 0;
    while (page !== null) {
      const result = await s.call("customers_list", { limit: 2, page, sorting: ["created_at"] });
      const body = result.structuredContent as unknown as Page<{ id: string }>;
      expect(body.pagination).toMatchObject({ total_count: total, max_page: 3, page });
      expect(textOf(result)).toContain(
        body.pagination.next_page === null
          ? `${body.items.length} item(s) of ${total} (page ${page} of 3); this is the last page.`
          : `Next page: call customers_list with {"limit":2,"page":${page + 1},"sorting":["created_at"]}`,
      );
      seen.push(...body.items.map((c) => c.id));
      page = body.pagination.next_page;
      calls += 1;
    }
    expect(calls).toBe(3);
    expect(seen).toHaveLength(total);
    expect(new Set(seen)).toEqual(new Set(all.items.map((c) => c.id)));
  });

  it("reports a page past the end as empty and last", async () => {
    const beyond = await s.ok<Page<unknown>>("customers_list", { limit: 2, page: 9 });
    expect(beyond.items).toEqual([]);
    expect(beyond.pagination).toMatchObject({ total_count: 5, page: 9, next_page: null });
  });
});

describe("Polar errors from the emulator as isError results", () => {
  let s: EmulatorSession;
  beforeAll(async () => {
    s = await connectToEmulator();
  });
  afterAll(() => s.close());

  it("404 ResourceNotFound, with a hint to find valid ids", async () => {
    const result = await s.fails("customers_get", { id: MISSING_ID });
    expect(result.structuredContent).toEqual({
      status: 404,
      error: "ResourceNotFound",
      detail: expect.any(String),
    });
    expect(textOf(result)).toMatch(
      /^Polar returned HTTP 404 ResourceNotFound for customers_get: .+\nCheck the id or path values/,
    );
    const external = await s.fails("customers_get_external", { external_id: "nobody" });
    expect(external.structuredContent).toMatchObject({ status: 404, error: "ResourceNotFound" });
  });

  it("422 from Polar's own checks, with the field as the tool names it", async () => {
    // Valid for the schema (so it reaches Polar), refused by Polar: a future timestamp.
    const future = new Date(s.emulator.clock.now().getTime() + 3_600_000).toISOString();
    const result = await s.fails("events_ingest", {
      events: [{ name: "tool_call", customer_id: s.seed.customerId, timestamp: future }],
    });
    expect(result.structuredContent).toMatchObject({
      status: 422,
      error: "RequestValidationError",
    });
    expect(textOf(result)).toMatch(/\n- events\[0\]\.timestamp: .+/);
    expect(textOf(result)).toContain("Fix the fields listed above and call again.");
    // Nothing was ingested: the whole batch is rejected.
    const events = await s.ok<Page<unknown>>("events_list", {
      customer_id: s.seed.customerId,
      name: "tool_call",
    });
    expect(events.pagination.total_count).toBe(0);
  });

  it("403 for a token without the operation's scopes names the scopes it needs", async () => {
    const { token } = await s.control<{ token: string }>("tokens", {
      organization_id: s.seed.organizationId,
      scopes: ["customers:read"],
    });
    const limited = await connectToEmulatorWithToken(s, token);
    const read = await limited.call("customers_list", {});
    expect(read.isError).toBeFalsy();
    const write = await limited.call("customers_create", { email: "scoped@example.com" });
    expect(write.isError).toBe(true);
    expect(write.structuredContent).toMatchObject({ status: 403 });
    expect(textOf(write)).toContain("it needs one of these scopes: customers:write");
    await limited.close();
  });

  it("401 for an unknown token says to fix the server's configuration, without echoing it", async () => {
    const bad = "polar_oat_not_a_token_the_emulator_issued";
    const session = await connectToEmulatorWithToken(s, bad);
    const result = await session.call("customers_list", {});
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ status: 401 });
    expect(textOf(result)).toContain("fix POLAR_ACCESS_TOKEN");
    expect(JSON.stringify(result)).not.toContain(bad);
    await session.close();
  });
});

// A second MCP server over the same emulator, with another Polar credential.
function connectToEmulatorWithToken(s: EmulatorSession, accessToken: string) {
  return connect({ accessToken, fetch: emulatorFetch(s.emulator), baseUrl: EMULATOR_BASE_URL });
}
