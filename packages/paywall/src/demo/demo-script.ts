import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { runPaymentLoop } from "./payment-loop.js";
import { startDemo, type DemoOptions } from "./start-demo.js";

async function connect(url: string, licenseKey?: string): Promise<Client> {
  const client = new Client({ name: "polar-mcp-demo-script", version: "0.1.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: licenseKey ? { "license-key": licenseKey } : {} },
    }),
  );
  return client;
}

/** Pays a hosted checkout as a person would: the page's form, with Polar's test card. */
async function payWithTestCard(checkoutUrl: string): Promise<boolean> {
  const page = await fetch(checkoutUrl);
  if (!page.ok) return false;
  const response = await fetch(checkoutUrl, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({
      customer_email: "demo@example.com",
      card_number: "4242 4242 4242 4242",
      card_expiry: "12/34",
      card_cvc: "123",
    }),
  });
  return response.status === 303 || response.status === 302;
}

/** Tries `attempt` every 100 ms until it yields a value or `timeoutMs` passes. */
async function retryUntil<T>(
  attempt: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const codeOf = (result: CallToolResult) =>
  (result.structuredContent as { code?: string } | undefined)?.code;
const textOf = (result: CallToolResult) =>
  result.content.map((c) => (c.type === "text" ? c.text : "")).join("");

/**
 * The scripted demo: a real MCP client calls the paid tool until the credits run out, shows
 * the denial with its checkout URL, pays that checkout on the emulator's hosted page, and
 * calls again once access is restored. Resolves true only if every step behaved.
 */
export async function runDemoScript(
  options: DemoOptions,
  log: (line: string) => void,
): Promise<boolean> {
  const demo = await startDemo({ ...options, port: options.port ?? 0 });
  let ok = true;
  const step = (passed: boolean, line: string) => {
    log(`${passed ? "✓" : "✗"} ${line}`);
    if (!passed) ok = false;
  };
  const anonymous = await connect(demo.serverUrl);
  const customer = await connect(demo.serverUrl, demo.seed.licenseKey);
  try {
    const ping = (await anonymous.callTool({ name: "ping", arguments: {} })) as CallToolResult;
    step(textOf(ping) === "pong", "free tool answers without a license key");

    const missing = (await anonymous.callTool({
      name: "fortune",
      arguments: {},
    })) as CallToolResult;
    step(
      missing.isError === true && codeOf(missing) === "license_key_missing",
      `paid tool without a key → ${codeOf(missing)}`,
    );

    const credits = demo.seed.credits ?? 0;
    let paid = 0;
    let denial: CallToolResult | undefined;
    for (let i = 0; i < credits + 5 && !denial; i++) {
      const result = (await customer.callTool({
        name: "fortune",
        arguments: {},
      })) as CallToolResult;
      if (result.isError) denial = result;
      else paid += 1;
    }
    step(paid === credits, `paid calls served: ${paid} of ${credits} credits`);
    step(
      codeOf(denial ?? { content: [] }) === "meter_credit_exhausted",
      `next call → ${denial ? codeOf(denial) : "no denial"}`,
    );
    if (denial) log(`  ${textOf(denial)}`);
    const checkoutUrl = (denial?.structuredContent as { checkoutUrl?: string } | undefined)
      ?.checkoutUrl;
    step(
      checkoutUrl !== undefined,
      `the denial carries a checkout URL for this customer: ${checkoutUrl ?? "none"}`,
    );
    if (checkoutUrl) {
      const paid = await payWithTestCard(checkoutUrl);
      step(paid, "checkout paid on the hosted page with the test card 4242 4242 4242 4242");
      const restored = await retryUntil(async () => {
        const result = (await customer.callTool({
          name: "fortune",
          arguments: {},
        })) as CallToolResult;
        return result.isError ? undefined : result;
      }, 10_000);
      step(
        restored !== undefined,
        "access restored: the paid tool answers again after the purchase",
      );
    }
    log("Payment loop (MCP 2025-11-25 URL elicitation):");
    await runPaymentLoop(demo, step, payWithTestCard);
  } catch (error) {
    step(false, `unexpected failure: ${(error as Error).message}`);
  } finally {
    await anonymous.close();
    await customer.close();
    await demo.close();
  }
  return ok;
}
