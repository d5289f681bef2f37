import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type InternalErrorLog, type RunningEmulator } from "../src/index.js";
import { demoEmulator } from "./helpers.js";

/** A raw HTTP/1.1 request over a real socket, with exactly the headers given (Host included). */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method,
        path,
        setHost: false,
        headers: {
          ...headers,
          ...(body !== undefined
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("bad input gets Polar's 4xx, never a 500", () => {
  it("refuses a meter whose aggregation has no func, and ingestion keeps working", async () => {
    const { call, seed } = demoEmulator();
    const meter = await call("POST", "/v1/meters/", {
      body: { name: "tagless", filter: { conjunction: "and", clauses: [] }, aggregation: {} },
    });
    expect(meter.status).toBe(422);
    expect(meter.body.detail[0]).toMatchObject({
      type: "union_tag_not_found",
      loc: ["body", "aggregation"],
    });
    const listed = await call("GET", "/v1/meters/?limit=100");
    expect(listed.body.items.map((m: { name: string }) => m.name)).not.toContain("tagless");
    const ingest = await call("POST", "/v1/events/ingest", {
      body: { events: [{ name: "api_call", customer_id: seed.customerId }] },
    });
    expect(ingest.status).toBe(200);
    expect(ingest.body.inserted).toBe(1);
  });

  it("refuses PATCH of a product with prices: [], and its checkouts still open", async () => {
    const { call, seed } = demoEmulator();
    const patched = await call("PATCH", `/v1/products/${seed.productId}`, { body: { prices: [] } });
    expect(patched.status).toBe(422);
    expect(patched.body.detail[0]).toMatchObject({
      type: "too_short",
      loc: ["body", "prices"],
      msg: "At least one price is required.",
    });
    const checkout = await call("POST", "/v1/checkouts/", { body: { products: [seed.productId] } });
    expect(checkout.status).toBe(201);
    expect(checkout.body.amount).toBeGreaterThan(0);
  });

  it("answers JSON nested thousands of levels deep with a 422 json_invalid", async () => {
    const { call, seed } = demoEmulator();
    const arrays = `{"events":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const objects = `{"email":"deep@example.com","metadata":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`;
    for (const [path, text] of [
      ["/v1/events/ingest", arrays],
      ["/v1/customers/", objects],
    ] as const) {
      const res = await call("POST", path, { raw: text });
      expect(res.status).toBe(422);
      expect(res.body.detail[0]).toMatchObject({ type: "json_invalid", msg: "JSON decode error" });
    }
    // The control plane reads its own bodies: the same limit.
    const control = await call("POST", "/__emulator/organizations", {
      raw: `{"name":${"[".repeat(5000)}${"]".repeat(5000)}}`,
    });
    expect(control.status).toBe(422);
    expect(control.body.detail[0]).toMatchObject({ type: "json_invalid" });
    // Brackets inside strings do not count as nesting.
    const ok = await call("POST", "/v1/events/ingest", {
      body: {
        events: [
          { name: "call[{", customer_id: seed.customerId, metadata: { s: "[{".repeat(150) } },
        ],
      },
    });
    expect(ok.status).toBe(200);
  });

  it("answers ?page=99999999999999999999 with an empty page on every list", async () => {
    const { call, seed } = demoEmulator();
    await call("POST", "/v1/events/ingest", {
      body: { events: [{ name: "api_call", customer_id: seed.customerId }] },
    });
    for (const path of ["/v1/events/", "/v1/products/", "/v1/customers/", "/v1/orders/"]) {
      const res = await call("GET", `${path}?page=99999999999999999999`);
      expect(res.status, path).toBe(200);
      expect(res.body.items, path).toEqual([]);
      expect(res.body.pagination.total_count, path).toBeGreaterThan(0);
    }
  });
});

describe("every 500 writes one structured line", () => {
  it("logs request id, method, path and error class to stderr, never the request's secrets", async () => {
    const { emulator, seed } = demoEmulator();
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      // A real failure: a stored customer that is no longer an object (a corrupted database file).
      emulator.context.store.db
        .prepare("UPDATE documents SET data = ? WHERE collection = 'customers'")
        .run("null");
      const res = await emulator.fetch(
        new Request("http://emulator/v1/customers/?email=secret-person%40example.com", {
          headers: { authorization: `Bearer ${seed.accessToken}` },
        }),
      );
      expect(res.status).toBe(500);
      const requestId = res.headers.get("x-request-id");
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const body = (await res.json()) as { error: string; detail: string };
      expect(body.error).toBe("InternalServerError");
      expect(body.detail).not.toMatch(/sqlite|json|\/work\/|\n\s+at /i);
      expect(lines).toHaveLength(1);
      const line = lines[0]!;
      expect(line.endsWith("\n")).toBe(true);
      expect(line.trim().split("\n")).toHaveLength(1);
      const entry = JSON.parse(line) as InternalErrorLog;
      expect(entry).toMatchObject({
        level: "error",
        request_id: requestId,
        method: "GET",
        path: "/v1/customers/",
        status: 500,
      });
      expect(entry.error_class).toMatch(/Error$/);
      expect(line).not.toContain(seed.accessToken);
      expect(line).not.toContain("secret-person");
      expect(line).not.toMatch(/\/work\/|node_modules|\n\s+at /);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("over a real socket", () => {
  let running: RunningEmulator;
  beforeAll(async () => {
    running = await startEmulator({ seed: "demo", controlHosts: ["polar-emulator"] });
  });
  afterAll(async () => {
    await running.close();
  });
  const port = () => new URL(running.url).port;

  it("rate limits the customer portal per socket address, whatever X-Forwarded-For says", async () => {
    const seed = running.seed!;
    const body = JSON.stringify({ key: seed.licenseKey, organization_id: seed.organizationId });
    const statuses: number[] = [];
    // Start just after a second boundary of the emulator's clock so the calls share one window.
    const clock = running.emulator.clock;
    clock.advance(1000 - (clock.now().getTime() % 1000));
    for (let i = 0; i < 4; i++) {
      const res = await raw(
        running.url,
        "POST",
        "/v1/customer-portal/license-keys/validate",
        { host: `127.0.0.1:${port()}`, "x-forwarded-for": `203.0.113.${i + 1}` },
        body,
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("holds a discount's max_redemptions when checkouts confirm concurrently", async () => {
    const seed = running.seed!;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${running.url}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${seed.accessToken}`,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, asserted field by field
      return { status: res.status, body: (await res.json()) as any };
    };
    const discount = await api("POST", "/v1/discounts/", {
      name: "Last one",
      type: "percentage",
      basis_points: 5000,
      duration: "once",
      max_redemptions: 1,
    });
    expect(discount.status).toBe(201);
    const product = await api("POST", "/v1/products/", {
      name: "One-off pack",
      prices: [{ amount_type: "fixed", price_amount: 1000, price_currency: "usd" }],
    });
    const sessions = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api("POST", "/v1/checkouts/", {
          products: [product.body.id],
          discount_id: discount.body.id,
          customer_email: `buyer${i}@example.com`,
        }),
      ),
    );
    for (const session of sessions) expect(session.body.discount_id).toBe(discount.body.id);
    const confirmed = await Promise.all(
      sessions.map((session) =>
        api("POST", `/v1/checkouts/client/${session.body.client_secret}/confirm`, {
          confirmation_token_id: "tok_visa",
        }),
      ),
    );
    const statuses = confirmed.map((c) => c.status).sort();
    expect(statuses).toEqual([200, 422, 422, 422, 422, 422]);
    for (const refused of confirmed.filter((c) => c.status === 422)) {
      expect(refused.body.detail[0]).toMatchObject({
        loc: ["body", "discount_id"],
        msg: "Discount is no longer redeemable.",
      });
    }
    const after = await api("GET", `/v1/discounts/${discount.body.id}`);
    expect(after.body.redemptions_count).toBe(1);
    const orders = await api("GET", `/v1/orders/?product_id=${product.body.id}`);
    expect(orders.body.pagination.total_count).toBe(1);
  });

  it("refuses control-plane calls from a rebinding Host or a cross-site page", async () => {
    const before = await raw(running.url, "GET", "/__emulator/health", {
      host: `127.0.0.1:${port()}`,
    });
    expect(before.status).toBe(200);
    for (const host of [`attacker.example:${port()}`, "rebind.127.0.0.1.nip.io"]) {
      const res = await raw(running.url, "POST", "/__emulator/tokens", { host }, "{}");
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: "NotPermitted" });
    }
    const crossSite = await raw(running.url, "POST", "/__emulator/reset", {
      host: `127.0.0.1:${port()}`,
      origin: "https://attacker.example",
    });
    expect(crossSite.status).toBe(403);
    const fetchMetadata = await raw(running.url, "POST", "/__emulator/reset", {
      host: `localhost:${port()}`,
      "sec-fetch-site": "cross-site",
    });
    expect(fetchMetadata.status).toBe(403);
    // Nothing was reset: the demo token still works.
    const products = await raw(running.url, "GET", "/v1/products/", {
      host: `127.0.0.1:${port()}`,
      authorization: `Bearer ${running.seed!.accessToken}`,
    });
    expect(products.status).toBe(200);
    // Same-origin pages, localhost, IPs and configured names are the emulator's own.
    for (const headers of [
      { host: `localhost:${port()}` },
      { host: `127.0.0.1:${port()}`, origin: running.url },
      { host: `polar-emulator:${port()}` },
    ]) {
      const res = await raw(running.url, "GET", "/__emulator/clock", headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
    // Polar's own API is not the control plane: any Host reaches it.
    const api = await raw(running.url, "GET", "/v1/products/", {
      host: `attacker.example:${port()}`,
      authorization: `Bearer ${running.seed!.accessToken}`,
    });
    expect(api.status).toBe(200);
  });
});
