// `polar-mcp serve` run as a person runs it (the real bin over stdio, driven by the official MCP
// client) against the demo emulator on a real socket: each filter flag changes what the client
// lists and what it can call, and the calls that are allowed reach the emulator's data.
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { startEmulator, type DemoSeed, type RunningEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/polar-mcp.js", import.meta.url));
const SPEC =
  process.env.POLAR_OPENAPI ??
  fileURLToPath(new URL("../../../../shared/polar-openapi/2026-10.openapi.json", import.meta.url));
const META_TOOLS = ["call_operation", "describe_operation", "search_operations"];

let polar: RunningEmulator;
let seed: DemoSeed;
beforeAll(async () => {
  polar = await startEmulator({ seed: "demo" });
  if (!polar.seed) throw new Error("no demo seed");
  seed = polar.seed;
});
afterAll(async () => {
  await polar.close();
});

interface Served {
  names: string[];
  call(name: string, args: Record<string, unknown>): Promise<CallResult>;
  close(): Promise<void>;
}
interface CallResult {
  isError: boolean;
  text: string;
  data: unknown;
}

async function serve(flags: string[]): Promise<Served> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, "serve", "--base-url", polar.url, "--spec", SPEC, ...flags],
    env: { PATH: process.env.PATH ?? "", POLAR_ACCESS_TOKEN: seed.accessToken },
    stderr: "pipe",
  });
  const client = new Client({ name: "cli-serve-filters-test", version: "1.0.0" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  return {
    names: tools.map((tool) => tool.name).sort(),
    async call(name, args) {
      let result: Awaited<ReturnType<typeof client.callTool>>;
      try {
        result = await client.callTool({ name, arguments: args });
      } catch (error) {
        // A tool the server does not offer is a protocol error (-32602), not a tool result.
        if (error instanceof McpError && error.code === ErrorCode.InvalidParams)
          return { isError: true, text: error.message, data: undefined };
        throw error;
      }
      const content = Array.isArray(result.content) ? result.content : [];
      const text = content
        .map((part: unknown) =>
          typeof part === "object" && part !== null && "text" in part ? String(part.text) : "",
        )
        .join("\n");
      return { isError: result.isError === true, text, data: result.structuredContent };
    },
    close: () => client.close(),
  };
}

/** The emulator's customers, read over HTTP with the demo token (what Polar holds). */
async function customerEmails(): Promise<string[]> {
  const response = await fetch(`${polar.url}/v1/customers/?limit=100`, {
    headers: { authorization: `Bearer ${seed.accessToken}` },
  });
  expect(response.status).toBe(200);
  const page = (await response.json()) as { items: Array<{ email: string }> };
  return page.items.map((customer) => customer.email);
}

function idOf(data: unknown): unknown {
  return typeof data === "object" && data !== null && "id" in data ? data.id : undefined;
}

describe("polar-mcp serve over stdio against the emulator", { timeout: 120_000 }, () => {
  it("--read-only lists no write tool, refuses customers_create (nothing created) and serves customers_get from the emulator", async () => {
    const served = await serve(["--read-only", "--mode", "static", "--all"]);
    try {
      expect(served.names).toContain("customers_get");
      expect(served.names).not.toContain("customers_create");
      expect(served.names).not.toContain("customers_delete");
      const got = await served.call("customers_get", { id: seed.customerId });
      expect(got.isError, got.text).toBe(false);
      expect(idOf(got.data)).toBe(seed.customerId);
      const before = await customerEmails();
      const refused = await served.call("customers_create", { email: "readonly@example.com" });
      expect(refused.isError).toBe(true);
      expect(await customerEmails()).toEqual(before);
    } finally {
      await served.close();
    }
  });

  it("--tags products lists only products tools (plus any meta-tools), serves products_list and refuses customers_get", async () => {
    const served = await serve(["--tags", "products"]);
    try {
      const operations = served.names.filter((name) => !META_TOOLS.includes(name));
      expect(operations.length).toBeGreaterThan(0);
      for (const name of operations) expect(name).toMatch(/^products_/);
      const listed = await served.call("products_list", { limit: 100 });
      expect(listed.isError, listed.text).toBe(false);
      const items = (listed.data as { items: Array<{ id: string }> }).items;
      expect(items.map((product) => product.id)).toContain(seed.productId);
      expect(served.names).not.toContain("customers_get");
      const outside = await served.call("customers_get", { id: seed.customerId });
      expect(outside.isError).toBe(true);
    } finally {
      await served.close();
    }
  });

  it("--methods write lists customers_create but not customers_get, and the created customer is in the emulator", async () => {
    const served = await serve(["--methods", "write", "--mode", "static", "--all"]);
    try {
      expect(served.names).toContain("customers_create");
      expect(served.names).not.toContain("customers_get");
      expect(served.names).not.toContain("customers_list");
      const email = "methods-write@example.com";
      const created = await served.call("customers_create", { email });
      expect(created.isError, created.text).toBe(false);
      expect(await customerEmails()).toContain(email);
      const read = await served.call("customers_get", { id: seed.customerId });
      expect(read.isError).toBe(true);
    } finally {
      await served.close();
    }
  });

  it("--tools customers_get,products_list lists exactly those two (plus meta-tools) and both return the emulator's data", async () => {
    const served = await serve(["--tools", "customers_get,products_list"]);
    try {
      expect(served.names.filter((name) => !META_TOOLS.includes(name))).toEqual([
        "customers_get",
        "products_list",
      ]);
      const customer = await served.call("customers_get", { id: seed.customerId });
      expect(customer.isError, customer.text).toBe(false);
      expect(idOf(customer.data)).toBe(seed.customerId);
      const products = await served.call("products_list", { limit: 100 });
      expect(products.isError, products.text).toBe(false);
      const items = (products.data as { items: Array<{ id: string }> }).items;
      expect(items.map((product) => product.id)).toContain(seed.productId);
    } finally {
      await served.close();
    }
  });

  it("--mode dynamic lists only search/describe/call, and call_operation customers_get returns the emulator's customer", async () => {
    const served = await serve(["--mode", "dynamic"]);
    try {
      expect(served.names).toEqual(META_TOOLS);
      const called = await served.call("call_operation", {
        name: "customers_get",
        arguments: { id: seed.customerId },
      });
      expect(called.isError, called.text).toBe(false);
      expect(idOf(called.data)).toBe(seed.customerId);
    } finally {
      await served.close();
    }
  });
});
