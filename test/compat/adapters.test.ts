// Compatibility matrix, Polar's framework adapters: @polar-sh/express 0.3.0 (SDK 0.32) and
// @polar-sh/hono 0.5.3 (SDK 0.42), unmodified, through their documented flows against the
// emulator: checkout redirect, customer portal redirect, webhooks verified and parsed.
// They only know `server: "sandbox"`, so their SDK's fetch is routed to the emulator
// (sandbox-fetch.ts).
import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createControlClient,
  startEmulator,
  type RunningEmulator,
} from "../../packages/emulator/src/index.js";
import { ensureClientInstalled, loadEntry } from "./install.js";
import { routeSandboxTo } from "./sandbox-fetch.js";

type Handler = (...args: never[]) => unknown;
interface AdapterEntry {
  Checkout(options: Record<string, unknown>): Handler;
  CustomerPortal(options: Record<string, unknown>): Handler;
  Webhooks(options: Record<string, unknown>): Handler;
}
interface ExpressEntry extends AdapterEntry {
  express: {
    (): {
      get(path: string, handler: Handler): void;
      post(path: string, ...handlers: Handler[]): void;
      listen(port: number, host: string, done: () => void): Server;
    };
    json(): Handler;
  };
}
interface NextEntry extends AdapterEntry {
  NextRequest: new (url: string, init: RequestInit) => Request;
}
interface HonoEntry extends AdapterEntry {
  Hono: new () => {
    get(path: string, handler: Handler): void;
    post(path: string, handler: Handler): void;
    fetch: (request: Request) => Response | Promise<Response>;
  };
}

/** One adapter mounted on a real server: the routes its README documents. */
interface MountedApp {
  url: string;
  payloads: { type: string; data: { id: string } }[];
  close(): Promise<void>;
}

let running: RunningEmulator;
let restoreFetch: () => void;
beforeAll(async () => {
  // Installed and loaded up front: a mount then takes milliseconds, never long enough for
  // a pooled keep-alive connection to the emulator to go stale between two calls.
  for (const client of ["express", "hono", "nextjs"]) {
    await ensureClientInstalled(client);
    await loadEntry(client);
  }
  running = await startEmulator({ seed: "demo" });
  restoreFetch = routeSandboxTo(running.url);
}, 320_000);
afterAll(async () => {
  restoreFetch?.();
  await running?.close();
});

const options = (payloads: MountedApp["payloads"], webhookSecret: string) => ({
  checkout: {
    accessToken: running.seed!.accessToken,
    successUrl: "https://shop.example/success",
    server: "sandbox",
  },
  portal: {
    accessToken: running.seed!.accessToken,
    server: "sandbox",
    getCustomerId: () => running.seed!.customerId,
  },
  webhooks: {
    webhookSecret,
    onPayload: async (payload: MountedApp["payloads"][number]) => {
      payloads.push(payload);
    },
  },
});

async function mountExpress(secret: string): Promise<MountedApp> {
  const { Checkout, CustomerPortal, Webhooks, express } = await loadEntry<ExpressEntry>("express");
  const payloads: MountedApp["payloads"] = [];
  const o = options(payloads, secret);
  const app = express();
  app.get("/checkout", Checkout(o.checkout));
  app.get("/portal", CustomerPortal(o.portal));
  app.post("/polar/webhooks", express.json(), Webhooks(o.webhooks));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    payloads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function mountHono(secret: string): Promise<MountedApp> {
  const { Checkout, CustomerPortal, Webhooks, Hono } = await loadEntry<HonoEntry>("hono");
  const payloads: MountedApp["payloads"] = [];
  const o = options(payloads, secret);
  const app = new Hono();
  app.get("/checkout", Checkout(o.checkout));
  app.get("/portal", CustomerPortal(o.portal));
  app.post("/polar/webhooks", Webhooks(o.webhooks));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    payloads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Next.js App Router route handlers (`export const GET = Checkout(…)`), each called with the
 * `NextRequest` Next.js hands them, behind a plain HTTP server standing in for `next start`.
 */
async function mountNext(secret: string): Promise<MountedApp> {
  const { Checkout, CustomerPortal, Webhooks, NextRequest } = await loadEntry<NextEntry>("nextjs");
  const payloads: MountedApp["payloads"] = [];
  const o = options(payloads, secret);
  type Route = (request: Request) => Promise<Response>;
  const routes: Record<string, Route> = {
    "GET /checkout": Checkout(o.checkout) as unknown as Route,
    // 0.9 also takes the customer by external id (customer session with external_customer_id).
    "GET /portal": CustomerPortal({
      accessToken: running.seed!.accessToken,
      server: "sandbox",
      getExternalCustomerId: () => running.seed!.externalCustomerId,
    }) as unknown as Route,
    "POST /polar/webhooks": Webhooks(o.webhooks) as unknown as Route,
  };
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        port: 0,
        hostname: "127.0.0.1",
        fetch: async (request: Request) => {
          const route = routes[`${request.method} ${new URL(request.url).pathname}`];
          if (!route) return new Response(null, { status: 404 });
          // Built from the incoming request's parts, as Next's server builds it.
          const body =
            request.method === "GET" ? null : new Uint8Array(await request.arrayBuffer());
          return route(
            new NextRequest(request.url, {
              method: request.method,
              headers: request.headers,
              body,
            }),
          );
        },
      },
      () => resolve(s),
    );
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    payloads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${running.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${running.seed!.accessToken}`,
      "content-type": "application/json",
    },
  });

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const [name, mount] of [
  ["@polar-sh/express 0.3.0 (@polar-sh/sdk 0.32.16)", mountExpress],
  ["@polar-sh/hono 0.5.3 (@polar-sh/sdk 0.42.5)", mountHono],
  ["@polar-sh/nextjs 0.9.6 route handlers (@polar-sh/sdk 0.47.1, next 16.5.0)", mountNext],
] as const) {
  describe(name, () => {
    let app: MountedApp;
    let endpoint: { id: string; secret: string };
    const control = () => createControlClient({ url: running.url });
    beforeAll(async () => {
      // The adapter takes the secret when mounted, the endpoint needs the app's URL: create
      // the endpoint first, mount with its secret, then point the endpoint at the app.
      const created = await api("/v1/webhooks/endpoints", {
        method: "POST",
        body: JSON.stringify({
          url: "http://127.0.0.1:9/pending",
          format: "raw",
          events: await control().events(),
        }),
      });
      endpoint = (await created.json()) as { id: string; secret: string };
      app = await mount(endpoint.secret);
      const patched = await api(`/v1/webhooks/endpoints/${endpoint.id}`, {
        method: "PATCH",
        body: JSON.stringify({ url: `${app.url}/polar/webhooks` }),
      });
      expect(patched.status).toBe(200);
    });
    afterAll(async () => {
      // Deleted so the next adapter's run gets no deliveries meant for this one.
      if (endpoint) await api(`/v1/webhooks/endpoints/${endpoint.id}`, { method: "DELETE" });
      await app?.close();
    });

    it("checkout: redirects to the emulator's hosted checkout, success_url carrying the id", async () => {
      const res = await fetch(
        `${app.url}/checkout?products=${running.seed!.creditsProductId}&customerExternalId=${running.seed!.externalCustomerId}`,
        { redirect: "manual" },
      );
      // express and hono redirect with 302, NextResponse.redirect with 307.
      expect([302, 307]).toContain(res.status);
      const location = res.headers.get("location") ?? "";
      expect(location.startsWith(`${running.url}/checkout/`)).toBe(true);
      const secret = location.split("/checkout/")[1]!;
      const list = (await (await api(`/v1/checkouts/?limit=100`)).json()) as {
        items: { id: string; client_secret: string; success_url: string; customer_id: string }[];
      };
      const checkout = list.items.find((c) => c.client_secret === secret)!;
      expect(checkout.success_url).toBe(`https://shop.example/success?checkoutId=${checkout.id}`);
      expect(checkout.customer_id).toBe(running.seed!.customerId);
      const page = await fetch(location);
      expect(page.status).toBe(200);
    });

    it("customer portal: redirects to the customer's portal with a session token", async () => {
      const res = await fetch(`${app.url}/portal`, { redirect: "manual" });
      // express and hono redirect with 302, NextResponse.redirect with 307.
      expect([302, 307]).toContain(res.status);
      const location = new URL(res.headers.get("location") ?? "");
      expect(location.origin).toBe(running.url);
      expect(location.searchParams.get("customer_session_token")).toMatch(/^polar_cst_/);
    });

    it("webhooks: verifies and hands over every event the trigger sends", async () => {
      for (const event of [
        "order.paid",
        "subscription.active",
        "customer.created",
        "benefit_grant.created",
      ]) {
        const before = app.payloads.length;
        await control().trigger(event);
        await until(() => app.payloads.slice(before).some((p) => p.type === event), event);
      }
      const deliveries = (await (
        await api(`/v1/webhooks/deliveries?endpoint_id=${endpoint.id}&limit=100`)
      ).json()) as { items: { succeeded: boolean; http_code: number | null }[] };
      expect(deliveries.items.length).toBeGreaterThanOrEqual(4);
      expect(deliveries.items.filter((d) => !d.succeeded)).toEqual([]);
    });
  });
}
