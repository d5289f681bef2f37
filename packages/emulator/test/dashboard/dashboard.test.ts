import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/index.js";
import { launchBrowser } from "../commerce/browser.js";
import { startReceiver } from "../commerce/receiver.js";

/**
 * The inspector at the emulator's root URL, driven by a real headless chromium: every page
 * shows data made through the API, the meter chart is drawn, a redelivery from the page
 * reaches a receiver, "Advance 1 month" renews the demo subscription, and nothing is
 * logged to the console as an error. Screenshots go to test-artifacts/dashboard/
 * (gitignored).
 */
const ARTIFACTS = fileURLToPath(new URL("../../../../test-artifacts/dashboard/", import.meta.url));

let running: RunningEmulator;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let page: Page;
const consoleErrors: string[] = [];

/** A `/v1` call with the demo token, as any client makes it. */
async function v1(method: string, path: string, body?: unknown) {
  const response = await fetch(`${running.url}/v1/${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${running.seed!.accessToken}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === "" ? null : JSON.parse(text)) as Record<string, unknown>;
}

const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

async function open(hash: string) {
  await page.goto(`${running.url}/#/${hash}`);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  receiver = await startReceiver();
  running = await startEmulator({ seed: "demo", instantBalances: true });
  // Data made through the API before the page opens.
  await v1("POST", "webhooks/endpoints", {
    url: `${receiver.url}/hook`,
    format: "raw",
    events: ["customer.created", "order.created", "subscription.updated"],
  });
  await v1("POST", "customers/", { email: "ada@example.com", name: "Ada Lovelace" });
  await v1("POST", "events/ingest", {
    events: [1, 2, 3].map((n) => ({
      name: "tool_call",
      external_customer_id: running.seed!.externalCustomerId,
      metadata: { tool: "search", n },
    })),
  });
  await receiver.until(() => receiver.types().includes("customer.created"), "customer.created");
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await receiver?.close();
});

describe("emulator dashboard", () => {
  it("serves the page at the root URL and shows the organization's products and benefits", async () => {
    const response = await page.goto(running.url);
    expect(response?.status()).toBe(200);
    await page.locator("[data-table=products] tbody tr").first().waitFor();
    const products = await page.locator("[data-table=products]").innerText();
    expect(products).toContain("every month");
    expect(await page.locator("h2", { hasText: "Polar MCP Demo" }).count()).toBe(1);
    const benefits = await page.locator("[data-table=benefits]").innerText();
    expect(benefits).toContain("license_keys");
    await shot("overview");
  }, 90_000);

  it("finds customers by search and shows their grants, meters, subscriptions, orders and license keys", async () => {
    await open("customers");
    await page.locator("[data-table=customers] tbody tr").first().waitFor();
    await page.fill("input[name=customer-search]", "ada@");
    await page.waitForFunction(
      () => document.querySelectorAll("[data-table=customers] tbody tr").length === 1,
    );
    expect(await page.locator("[data-table=customers]").innerText()).toContain("Ada Lovelace");
    await page.fill("input[name=customer-search]", "demo-user");
    await page.locator(`[data-table=customers] tr[data-id="${running.seed!.customerId}"]`).click();
    const keys = page.locator("[data-table=license-keys]");
    await keys.waitFor();
    expect(await keys.innerText()).toContain(running.seed!.licenseKey);
    expect(await page.locator("[data-table=grants] tbody tr").count()).toBeGreaterThan(0);
    const meters = await page.locator("[data-table=active-meters]").innerText();
    expect(meters).toContain("tool_call"); // the meter's name; 3 events consumed of 100 credited
    expect(meters).toMatch(/\b3\s+100\s+97\b/);
    expect(await page.locator("[data-table=customer-subscriptions]").innerText()).toContain(
      "active",
    );
    expect(await page.locator("[data-table=customer-orders] tbody tr").count()).toBeGreaterThan(0);
    await shot("customers");
  });

  it("lists checkouts and orders", async () => {
    await open("commerce");
    await page.locator("[data-table=orders] tbody tr").first().waitFor();
    expect(await page.locator("[data-table=orders]").innerText()).toContain("subscription_create");
    expect(await page.locator("[data-table=checkouts]").innerText()).toContain("succeeded");
    await shot("commerce");
  });

  it("filters events and shows new ones without a reload", async () => {
    await open("events");
    await page.locator("[data-table=events] tbody tr").first().waitFor();
    await page.selectOption("select[name=event-source]", "user");
    await page.fill("input[name=event-name]", "tool_call");
    await page.waitForFunction(
      () => document.querySelectorAll("[data-table=events] tbody tr").length === 3,
    );
    await v1("POST", "events/ingest", {
      events: [
        {
          name: "tool_call",
          external_customer_id: running.seed!.externalCustomerId,
          metadata: { tool: "live-arrival" },
        },
      ],
    });
    await page.locator("[data-table=events]", { hasText: "live-arrival" }).waitFor();
    expect(await page.locator("[data-table=events] tbody tr").count()).toBe(4);
    await shot("events");
  });

  it("draws a meter's usage per customer as a chart", async () => {
    await open("meters");
    await page.locator(`[data-table=meters] tr[data-id="${running.seed!.meterId}"]`).click();
    await page.selectOption("select[name=meter-customer]", running.seed!.customerId);
    await page.waitForFunction(() => document.querySelector("[data-total]")?.textContent === "4");
    await page.locator(".chart canvas").waitFor();
    // The series is stroked in #2563eb: count its pixels on the canvas.
    const drawn = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>(".chart canvas")!;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let series = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] === 37 && data[i + 1] === 99 && data[i + 2] === 235) series++;
      }
      return series;
    });
    expect(drawn).toBeGreaterThan(20);
    await shot("meters");
  });

  it("shows each webhook delivery and redelivers one to the receiver", async () => {
    await open("webhooks");
    const created = page.locator("[data-table=deliveries] tbody tr", {
      hasText: "customer.created",
    });
    await created.first().waitFor();
    await created.first().click();
    const detail = await page.locator("[data-delivery]").innerText();
    expect(detail).toContain("ada@example.com"); // the payload
    expect(detail).toContain("Response (200)");
    const before = receiver.all.filter((r) => r.body.includes("ada@example.com")).length;
    await created.first().locator("button[data-action=redeliver]").click();
    await receiver.until(
      () => receiver.all.filter((r) => r.body.includes("ada@example.com")).length === before + 1,
      "the redelivery",
    );
    // The new attempt appears on the page without a reload.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("[data-table=deliveries] tbody tr")].filter((row) =>
          row.textContent?.includes("customer.created"),
        ).length === 2,
    );
    await shot("webhooks");
  });

  it("advances the clock a month from the header and the subscription renews", async () => {
    await open("commerce");
    await page.locator("[data-table=orders] tbody tr").first().waitFor();
    expect(await page.locator("[data-table=orders]").innerText()).not.toContain(
      "subscription_cycle",
    );
    const before = await page.locator("[data-clock]").innerText();
    await page.getByRole("button", { name: "Advance 1 month" }).click();
    await page.locator("[data-table=orders]", { hasText: "subscription_cycle" }).waitFor();
    expect(await page.locator("[data-clock]").innerText()).not.toBe(before);
    const orders = await v1("GET", `orders/?customer_id=${running.seed!.customerId}`);
    const reasons = (orders.items as { billing_reason: string }[]).map((o) => o.billing_reason);
    expect(reasons).toContain("subscription_cycle");
    await receiver.until(() => receiver.types().includes("order.created"), "order.created");
    await shot("clock-advanced");
  });

  it("resets the emulator and seeds the demo again from the header", async () => {
    await open("overview");
    await page.locator("[data-table=products] tbody tr").first().waitFor();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Reset" }).click();
    await page.getByText("No organization yet").waitFor();
    const health = await fetch(`${running.url}/v1/products/`, {
      headers: { Authorization: `Bearer ${running.seed!.accessToken}` },
    });
    expect(health.status).toBe(401); // the reset removed the demo's token too
    await page.getByRole("button", { name: "Demo seed" }).click();
    await page.locator("[data-table=products] tbody tr").first().waitFor();
    expect(await page.locator("h2", { hasText: "Polar MCP Demo" }).count()).toBe(1);
    await shot("reseeded");
  });

  it("the dashboard pages the tests above opened logged no console errors in Chromium", () => {
    expect(consoleErrors).toEqual([]);
  });
});
