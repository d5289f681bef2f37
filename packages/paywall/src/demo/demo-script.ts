import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
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

const codeOf = (result: CallToolResult) =>
  (result.structuredContent as { code?: string } | undefined)?.code;
const textOf = (result: CallToolResult) =>
  result.content.map((c) => (c.type === "text" ? c.text : "")).join("");

/**
 * The scripted demo: a real MCP client calls the paid tool until the credits run out, shows
 * the denial with its checkout URL, and says what the checkout step needs. Resolves true
 * only if every step behaved.
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
    if (checkoutUrl) {
      log(`  checkout URL: ${checkoutUrl}`);
    }
    log(
      "… completing the checkout needs the emulator's hosted checkout (Emulator III), not available yet: the script stops here.",
    );
  } catch (error) {
    step(false, `unexpected failure: ${(error as Error).message}`);
  } finally {
    await anonymous.close();
    await customer.close();
    await demo.close();
  }
  return ok;
}
