// `polar-mcp demo` (not --script) as a person runs it: the client config it prints is used as
// printed. The Cursor JSON's URL and license-key header connect a real MCP client that calls
// the paid tool; the same URL without the header is refused the paid tool.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { startCli } from "./process.js";

interface PrintedConfig {
  url: string;
  headers: Record<string, string>;
}

/** The Cursor block: the JSON between its heading and the next blank line. */
function cursorConfig(printed: string): PrintedConfig {
  const start = printed.indexOf("Cursor (.cursor/mcp.json):");
  expect(start).toBeGreaterThanOrEqual(0);
  const block = printed.slice(start).split("\n\n")[0]!.split("\n").slice(1).join("\n");
  const parsed: unknown = JSON.parse(block);
  const entry = new Map<string, unknown>(
    Object.entries(
      new Map<string, unknown>(Object.entries(Object(Object(parsed).mcpServers))).get(
        "polar-paid-demo",
      ) ?? {},
    ),
  );
  const url = entry.get("url");
  const headers = entry.get("headers");
  if (typeof url !== "string" || typeof headers !== "object" || headers === null)
    throw new Error(`the printed Cursor config has no url or headers:\n${block}`);
  return {
    url,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
  };
}

async function callFortune(url: string, headers: Record<string, string>) {
  const client = new Client({ name: "cli-demo-config-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  try {
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    const result = await client.callTool({ name: "fortune", arguments: {} });
    return { names, isError: result.isError === true };
  } finally {
    await client.close();
  }
}

describe("polar-mcp demo prints configs that work as printed", { timeout: 120_000 }, () => {
  it("the Cursor config's URL and license-key header call the paid tool; without the header it is refused", async () => {
    const cli = startCli(["demo", "--port", "0"]);
    try {
      await cli.waitFor(/Press Ctrl\+C to stop/);
      const printed = cli.stdout();
      const config = cursorConfig(printed);
      const key = config.headers["license-key"];
      expect(key).toMatch(/^DEMO-/);
      // The Claude Code line names the same URL and key.
      expect(printed).toContain(
        `claude mcp add --transport http polar-paid-demo ${config.url} --header "license-key: ${key}"`,
      );
      const paid = await callFortune(config.url, config.headers);
      expect(paid.names).toEqual(expect.arrayContaining(["fortune", "ping"]));
      expect(paid.isError).toBe(false);
      const unpaid = await callFortune(config.url, {});
      expect(unpaid.isError).toBe(true);
    } finally {
      cli.child.kill("SIGTERM");
      await cli.exited;
    }
  });
});
