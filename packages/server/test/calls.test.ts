import { describe, expect, it } from "vitest";
import { connect, fakePolar, json, ORG_TOKEN, textOf, type RecordedRequest } from "./helpers.js";

const CUSTOMER_ID = "a7b5d1a8-7b6f-4f1e-9d2c-1c2b3a4d5e6f";
const on =
  (method: string, path: string, respond: (r: RecordedRequest) => Response) =>
  (r: RecordedRequest) => (r.method === method && r.url.pathname === path ? respond(r) : undefined);

describe("tool calls against a fake Polar", () => {
  it("sends query filters, arrays, deepObject metadata and the credential", async () => {
    const polar = fakePolar(
      on("GET", "/v1/customers/", () =>
        json(200, {
          items: [{ id: CUSTOMER_ID, email: "sarah@acme.co" }],
          pagination: { total_count: 21, max_page: 3 },
        }),
      ),
    );
    const session = await connect({ fetch: polar.fetch, baseUrl: "http://polar.test/" });
    const result = await session.call("customers_list", {
      email: "sarah@acme.co",
      page: 2,
      limit: 10,
      sorting: ["-created_at", "email"],
      metadata: { plan: "pro" },
    });
    expect(result.isError).toBeFalsy();
    expect(polar.requests).toHaveLength(1);
    const [request] = polar.requests;
    expect(request?.method).toBe("GET");
    expect(request?.url.href.split("?")[0]).toBe("http://polar.test/v1/customers/");
    expect(request?.url.search).toBe(
      "?email=sarah%40acme.co&page=2&limit=10&sorting=-created_at&sorting=email&metadata%5Bplan%5D=pro",
    );
    expect(request?.headers.authorization).toBe(`Bearer ${ORG_TOKEN}`);
    expect(request?.headers["polar-version"]).toBe("2026-10");
    expect(result.structuredContent).toMatchObject({
      items: [{ id: CUSTOMER_ID }],
      pagination: { total_count: 21, max_page: 3, page: 2, next_page: 3 },
    });
    expect(textOf(result)).toContain(
      'Next page: call customers_list with {"email":"sarah@acme.co",',
    );
    expect(textOf(result)).toContain('"page":3');
    await session.close();
  });

  it("says when a list is on its last page", async () => {
    const polar = fakePolar(
      on("GET", "/v1/products/", () =>
        json(200, { items: [], pagination: { total_count: 0, max_page: 1 } }),
      ),
    );
    const session = await connect({ fetch: polar.fetch });
    const result = await session.call("products_list", {});
    expect(textOf(result)).toContain("this is the last page");
    expect(polar.requests[0]?.url.href).toBe("https://api.polar.sh/v1/products/");
    await session.close();
  });

  it("puts path parameters in the path and body fields in a JSON body", async () => {
    const polar = fakePolar(
      on("PATCH", `/v1/customers/${CUSTOMER_ID}`, (r) =>
        json(200, { id: CUSTOMER_ID, ...(r.body as object) }),
      ),
    );
    const session = await connect({ fetch: polar.fetch, server: "sandbox" });
    const result = await session.call("customers_update", {
      id: CUSTOMER_ID,
      name: "Sarah",
      metadata: { tier: "gold" },
    });
    expect(result.isError).toBeFalsy();
    const [request] = polar.requests;
    expect(request?.url.href).toBe(`https://sandbox-api.polar.sh/v1/customers/${CUSTOMER_ID}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.body).toEqual({ name: "Sarah", metadata: { tier: "gold" } });
    expect(result.structuredContent).toEqual({
      id: CUSTOMER_ID,
      name: "Sarah",
      metadata: { tier: "gold" },
    });
    await session.close();
  });

  it("sends a body field that shares a path parameter's name as body_<name>", async () => {
    const polar = fakePolar(
      on("POST", "/v1/customers/external/crm-1/members", () => json(201, { id: "m" })),
    );
    const session = await connect({ fetch: polar.fetch });
    const result = await session.call("customers_members_create_external", {
      external_id: "crm-1",
      email: "dev@acme.co",
      body_external_id: "member-9",
    });
    expect(result.isError).toBeFalsy();
    expect(polar.requests[0]?.body).toEqual({ email: "dev@acme.co", external_id: "member-9" });
    await session.close();
  });

  it("creates a checkout for an external customer id (enterprise workflow)", async () => {
    const polar = fakePolar(
      on("POST", "/v1/checkouts/", () =>
        json(201, { id: "c1", url: "https://polar.sh/checkout/polar_c_x" }),
      ),
    );
    const session = await connect({ fetch: polar.fetch });
    const product = "9f2b1a3c-4d5e-4f60-8a7b-1c2d3e4f5a6b";
    const result = await session.call("checkouts_create", {
      products: [product],
      external_customer_id: "acc_999888",
    });
    expect(result.isError).toBeFalsy();
    expect(polar.requests[0]?.body).toEqual({
      products: [product],
      external_customer_id: "acc_999888",
    });
    expect(result.structuredContent).toMatchObject({ url: "https://polar.sh/checkout/polar_c_x" });
    await session.close();
  });

  it("sends no credential to public operations and form-encodes OAuth2 bodies", async () => {
    const polar = fakePolar(
      on("POST", "/v1/customer-portal/license-keys/validate", () =>
        json(200, { status: "granted" }),
      ),
      on("POST", "/v1/oauth2/revoke", () => json(200, {})),
    );
    const session = await connect({ fetch: polar.fetch });
    const org = "1dbfc517-0bbf-4301-9ba8-555ca42b9737";
    await session.call("customer_portal_license_keys_validate", {
      key: "POLAR-KEY",
      organization_id: org,
    });
    expect(polar.requests[0]?.headers.authorization).toBeUndefined();
    expect(polar.requests[0]?.body).toEqual({ key: "POLAR-KEY", organization_id: org });
    await session.call("oauth2_revoke_token", { token: "t", client_id: "c", client_secret: "s" });
    expect(polar.requests[1]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(polar.requests[1]?.rawBody).toBe("token=t&client_id=c&client_secret=s");
    await session.close();
  });

  it("reports 204 No Content as success", async () => {
    const polar = fakePolar(
      on("DELETE", `/v1/customers/${CUSTOMER_ID}`, () => new Response(null, { status: 204 })),
    );
    const session = await connect({ fetch: polar.fetch });
    const result = await session.call("customers_delete", { id: CUSTOMER_ID });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ status: 204 });
    await session.close();
  });

  it("turns Polar errors into isError results with status, error name and detail", async () => {
    const polar = fakePolar(
      on("POST", "/v1/customers/", () =>
        json(422, {
          error: "RequestValidationError",
          detail: [
            {
              type: "value_error",
              loc: ["body", "email"],
              msg: "value is not a valid email address",
              input: "x",
            },
          ],
        }),
      ),
    );
    const session = await connect({ fetch: polar.fetch });
    const notFound = await session.call("customers_get", { id: CUSTOMER_ID });
    expect(notFound.isError).toBe(true);
    expect(notFound.structuredContent).toEqual({
      status: 404,
      error: "ResourceNotFound",
      detail: "Not found",
    });
    expect(textOf(notFound)).toContain(
      "Polar returned HTTP 404 ResourceNotFound for customers_get: Not found",
    );
    const invalid = await session.call("customers_create", { email: "x@y.zz" });
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toContain("- email: value is not a valid email address");
    await session.close();
  });

  it("tells how to fix a 401 without echoing the token", async () => {
    const polar = fakePolar(() => json(401, { error: "Unauthorized", detail: "Invalid token" }));
    const session = await connect({ fetch: polar.fetch });
    const result = await session.call("customers_list", {});
    expect(textOf(result)).toContain("fix POLAR_ACCESS_TOKEN in the MCP server's configuration");
    expect(JSON.stringify(result)).not.toContain(ORG_TOKEN);
    await session.close();
  });

  it("waits out a short Retry-After on 429 and retries", async () => {
    let calls = 0;
    const polar = fakePolar(() => {
      calls += 1;
      return calls === 1
        ? new Response(null, { status: 429, headers: { "retry-after": "2" } })
        : json(200, { items: [], pagination: { total_count: 0, max_page: 1 } });
    });
    const slept: number[] = [];
    const session = await connect({ fetch: polar.fetch, sleep: async (ms) => void slept.push(ms) });
    const result = await session.call("customers_list", {});
    expect(result.isError).toBeFalsy();
    expect(polar.requests).toHaveLength(2);
    expect(slept).toEqual([2000]);
    await session.close();
  });

  it("returns a rate-limit error with when to retry and the figures beyond the bound", async () => {
    const polar = fakePolar(
      () => new Response(null, { status: 429, headers: { "retry-after": "60" } }),
    );
    const slept: number[] = [];
    const session = await connect({
      fetch: polar.fetch,
      maxRetryAfterSeconds: 5,
      sleep: async (ms) => void slept.push(ms),
      now: () => Date.parse("2026-10-01T12:00:00Z"),
    });
    const result = await session.call("customers_list", {});
    expect(result.isError).toBe(true);
    expect(polar.requests).toHaveLength(1);
    expect(slept).toEqual([]);
    const text = textOf(result);
    expect(text).toContain("Retry after 60 s (at 2026-10-01T12:01:00.000Z)");
    expect(text).toContain("500 requests per minute");
    expect(result.structuredContent).toMatchObject({ status: 429, retry_after_seconds: 60 });
    await session.close();
  });

  it("an unreachable Polar is an isError result naming the base URL and the network error", async () => {
    const session = await connect({
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
      baseUrl: "http://127.0.0.1:9",
    });
    const result = await session.call("customers_list", {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("Could not reach Polar at http://127.0.0.1:9 (fetch failed)");
    await session.close();
  });
});

describe("input validation before any request", () => {
  async function invalid(name: string, args: Record<string, unknown>) {
    const polar = fakePolar(() => json(200, {}));
    const session = await connect({ fetch: polar.fetch });
    const result = await session.call(name, args);
    await session.close();
    expect(result.isError).toBe(true);
    expect(polar.requests).toHaveLength(0);
    return textOf(result);
  }

  it("names a missing required field", async () => {
    const text = await invalid("customers_get", {});
    expect(text).toContain("Invalid arguments for customers_get; nothing was sent to Polar.");
    expect(text).toContain("- id is required but missing.");
  });

  it("names a wrong type and an unknown field with a suggestion", async () => {
    expect(await invalid("customers_list", { limit: "ten" })).toContain(
      "- limit must be of type integer.",
    );
    expect(await invalid("customers_list", { organizationId: "x" })).toContain(
      'did you mean "organization_id"?',
    );
    expect(await invalid("customers_create", { request: { email: "a@b.co" } })).toContain(
      'pass the fields directly, not wrapped in "request"',
    );
  });

  it("lists allowed values of an enum and a body's nested field with the expected shape", async () => {
    const wrongType = await invalid("customers_create", { email: "a@b.co", type: "company" });
    expect(wrongType).not.toContain('must be "team"');
    expect(wrongType).toMatch(/- type must be one of: "individual", "team"/);
    const text = await invalid("events_ingest", {
      events: [{ name: "export", timestamp: "yesterday" }],
    });
    expect(text).toContain("events[0].timestamp must be a valid date-time string.");
    expect(text).toContain("Expected events:");
  });

  it("checks a union body against the variant its discriminator selects", async () => {
    const text = await invalid("benefits_create", {
      type: "custom",
      description: "Priority routing",
    });
    expect(text).toContain("- properties is required but missing.");
    expect(text).not.toContain("discord");
  });
});
