import { createPolar } from "@polar-sh/sdk/2026-10";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { launchBrowser } from "./commerce/browser.js";

/**
 * The page a session's `customer_portal_url` opens, driven by a real headless chromium: the
 * customer sees its subscription, orders, license key and benefits, and cancels (then keeps)
 * the subscription; the API sees each change.
 */
let running: RunningEmulator;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let polar: ReturnType<typeof createPolar>;

beforeAll(async () => {
  running = await startEmulator({ seed: "demo" });
  browser = await launchBrowser();
  polar = createPolar({ accessToken: running.seed!.accessToken, baseUrl: running.url });
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
});

const subscriptionOf = async (customerId: string) => {
  const page = await polar.subscriptions.list({ customer_id: customerId });
  return page.items[0]!;
};

describe("customer portal page", () => {
  it("shows the customer's subscription, orders, license key and benefits", async () => {
    const seed = running.seed!;
    const session = await polar.customerSessions.create({
      customer_id: seed.customerId,
      return_url: "https://merchant.example/account",
    });
    const page = await browser.context.newPage();
    const response = await page.goto(session.customer_portal_url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["cache-control"]).toBe("no-store");

    const subscription = await subscriptionOf(seed.customerId);
    const row = page.locator(`tr[data-subscription-id="${subscription.id}"]`);
    expect(await row.locator('[data-field="status"]').textContent()).toBe("active");
    const orders = await polar.orders.list({ customer_id: seed.customerId, limit: 100 });
    expect(orders.items.length).toBeGreaterThan(0);
    for (const order of orders.items) {
      await expect.poll(() => page.locator(`tr[data-order-id="${order.id}"]`).count()).toBe(1);
    }
    const keys = await page.locator('#license-keys [data-field="key"]').allTextContents();
    expect(keys).toContain(seed.licenseKey);
    const benefits = await page.locator('#benefits [data-field="description"]').allTextContents();
    expect(benefits.length).toBeGreaterThan(0);
    expect(await page.getAttribute("#return", "href")).toBe("https://merchant.example/account");
    await page.close();
  });

  it("cancels the subscription at period end from the page, and keeps it again", async () => {
    const seed = running.seed!;
    const session = await polar.customerSessions.create({ customer_id: seed.customerId });
    const page = await browser.context.newPage();
    await page.goto(session.customer_portal_url);
    const subscription = await subscriptionOf(seed.customerId);
    const row = page.locator(`tr[data-subscription-id="${subscription.id}"]`);

    await Promise.all([
      page.waitForURL((url) => url.pathname.startsWith("/portal/")),
      row.locator('button[data-action="cancel"]').click(),
    ]);
    expect(await row.locator('[data-field="cancels"]').textContent()).toContain("cancels on");
    const canceled = await subscriptionOf(seed.customerId);
    expect(canceled.cancel_at_period_end).toBe(true);
    expect(canceled.status).toBe("active");

    await Promise.all([
      page.waitForURL((url) => url.pathname.startsWith("/portal/")),
      row.locator('button[data-action="uncancel"]').click(),
    ]);
    expect(await row.locator('button[data-action="cancel"]').count()).toBe(1);
    expect((await subscriptionOf(seed.customerId)).cancel_at_period_end).toBe(false);
    await page.close();
  });

  it("refuses expired links, other organizations' URLs and forged actions", async () => {
    const seed = running.seed!;
    const session = await polar.customerSessions.create({ customer_id: seed.customerId });
    const page = await browser.context.newPage();
    const url = new URL(session.customer_portal_url);
    const wrongOrg = new URL(url);
    wrongOrg.pathname = "/portal/someone-else";
    expect((await page.goto(wrongOrg.href))?.status()).toBe(401);
    expect(await page.locator("#portal-expired").count()).toBe(1);

    // A cancel posted without the session token (another site's form) changes nothing.
    const subscription = await subscriptionOf(seed.customerId);
    const forged = await fetch(
      `${running.url}${url.pathname}/subscriptions/${subscription.id}/cancel`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "customer_session_token=polar_cst_forged",
      },
    );
    expect(forged.status).toBe(401);
    expect((await subscriptionOf(seed.customerId)).cancel_at_period_end).toBe(false);

    // Customer sessions live one hour, on the emulator's clock.
    running.emulator.clock.advance(61 * 60 * 1000);
    expect((await page.goto(url.href))?.status()).toBe(401);
    await page.close();
  });

  it("escapes what customers and merchants typed", async () => {
    const customer = await polar.customers.create({
      email: "escape@example.com",
      name: '<img src=x onerror="document.body.dataset.pwned=1">',
    });
    const session = await polar.customerSessions.create({ customer_id: customer.id });
    const page = await browser.context.newPage();
    await page.goto(session.customer_portal_url);
    expect(await page.textContent("#customer")).toContain("<img src=x");
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    expect(await page.locator("#no-subscriptions").count()).toBe(1);
    await page.close();
  });
});
