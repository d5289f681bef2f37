// Compatibility matrix, @polar-sh/better-auth 1.8.4 (SDK 0.47.1) in a real better-auth
// 1.7.25 server on SQLite, driven over HTTP (better-auth/flows.mjs, run by plain Node as an
// app runs): sign-up creates the Polar customer, checkout, customer portal, usage ingestion,
// customer state, webhooks, and deleting the user deletes the customer.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../packages/emulator/src/index.js";
import { clientDir, ensureClientInstalled } from "./install.js";

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}
interface FlowsOutput {
  baseURL: string;
  payloads: { type: string; id: string }[];
  signUp: { status: number; userId: string; email: string };
  checkout: Answer<{ url: string }>;
  portal: Answer<{ url: string }>;
  usage: Answer<{ inserted: number }>;
  state: Answer<{ id: string; externalId: string; email: string; avatarUrl: string }>;
  trigger: { order_id: string };
  deleteUser: Answer;
}

let running: RunningEmulator;
let flows: FlowsOutput;
const api = async (path: string) => {
  const res = await fetch(`${running.url}${path}`, {
    headers: { authorization: `Bearer ${running.seed!.accessToken}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  await ensureClientInstalled("better-auth");
  running = await startEmulator({ seed: "demo" });
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [join(clientDir("better-auth"), "flows.mjs")],
      {
        cwd: clientDir("better-auth"),
        timeout: 90_000,
        env: {
          PATH: process.env.PATH ?? "",
          POLAR_SERVER_URL: running.url,
          POLAR_ACCESS_TOKEN: running.seed!.accessToken,
          PRODUCT_ID: running.seed!.creditsProductId,
        },
      },
      (error, out, err) => (error ? reject(new Error(`flows.mjs failed: ${err}`)) : resolve(out)),
    );
  });
  flows = JSON.parse(stdout.trim().split("\n").pop()!) as FlowsOutput;
}, 320_000);
afterAll(async () => {
  await running?.close();
});

describe("@polar-sh/better-auth 1.8.4 on better-auth 1.7.25 (SQLite)", () => {
  it("sign-up creates the Polar customer, linked by external id to the user", () => {
    expect(flows.signUp.status).toBe(200);
    expect(flows.state.status).toBe(200);
    expect(flows.state.body).toMatchObject({
      externalId: flows.signUp.userId,
      email: flows.signUp.email,
    });
    expect(flows.state.body.avatarUrl).toMatch(
      /^https:\/\/www\.gravatar\.com\/avatar\/[0-9a-f]{64}\?d=404$/,
    );
    expect(flows.payloads).toContainEqual({ type: "customer.created", id: flows.state.body.id });
  });

  it("checkout: a hosted checkout for the user, success_url with the checkout id", async () => {
    expect(flows.checkout.status).toBe(200);
    expect(flows.checkout.body.url.startsWith(`${running.url}/checkout/`)).toBe(true);
    const secret = flows.checkout.body.url.split("/checkout/")[1];
    const list = await api("/v1/checkouts/?limit=100");
    const checkout = (list.body.items as Record<string, unknown>[]).find(
      (c) => c.client_secret === secret,
    )!;
    expect(checkout.external_customer_id).toBe(flows.signUp.userId);
    expect(checkout.success_url).toBe(
      `${flows.baseURL}/success?checkout_id=${String(checkout.id)}`,
    );
  });

  it("customer portal: a portal URL with a customer session", () => {
    expect(flows.portal.status).toBe(200);
    const url = new URL(flows.portal.body.url);
    expect(url.origin).toBe(running.url);
    expect(url.searchParams.get("customer_session_token")).toMatch(/^polar_cst_/);
  });

  it("usage: the event is ingested for the user's external id", async () => {
    expect(flows.usage.body).toMatchObject({ inserted: 1 });
    const events = await api(`/v1/events/?external_customer_id=${flows.signUp.userId}&limit=100`);
    expect((events.body.items as { name: string }[]).map((e) => e.name)).toContain(
      "compat-better-auth",
    );
  });

  it("webhooks: order.paid verified and handed to onPayload", () => {
    expect(flows.payloads).toContainEqual({ type: "order.paid", id: flows.trigger.order_id });
  });

  it("delete user: the Polar customer is deleted too", async () => {
    expect(flows.deleteUser.status).toBe(200);
    expect((await api(`/v1/customers/${flows.state.body.id}`)).status).toBe(404);
  });
});
