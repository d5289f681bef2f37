// The proxy in front of a Streamable HTTP upstream: @modelcontextprotocol/server-everything
// (pinned) run as its own process in streamableHttp mode, the proxy at { url }.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { PRICE_META_KEY, startPaidProxy, type RunningProxy } from "../../src/proxy/index.js";
import { parseProxyConfig } from "../../src/proxy/proxy-config.js";
import { connectClient, EVERYTHING, startPolar } from "./proxy-fixture.js";

let polar: Awaited<ReturnType<typeof startPolar>>;
let upstream: ChildProcess;
let proxy: RunningProxy;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

beforeAll(async () => {
  polar = await startPolar();
  const port = await freePort();
  upstream = spawn(process.execPath, [EVERYTHING, "streamableHttp"], {
    env: { PATH: process.env.PATH ?? "", PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let err = "";
    upstream.stderr!.on("data", (chunk: Buffer) => {
      err += chunk.toString("utf8");
      if (err.includes("listening on port")) resolve();
    });
    upstream.once("exit", (code) => reject(new Error(`server-everything exited ${code}: ${err}`)));
  });
  proxy = await startPaidProxy({
    transport: "http",
    token: polar.seed.accessToken,
    outbox: ":memory:",
    config: parseProxyConfig({
      upstream: { url: `http://127.0.0.1:${port}/mcp` },
      polar: {
        organizationId: polar.seed.organizationId,
        productId: polar.seed.creditsProductId,
        baseUrl: polar.emulator.url,
      },
      free: ["echo"],
      priceIn: "meta",
    }),
  });
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  upstream?.kill();
  await polar?.emulator.close();
});

describe("paid proxy in front of a Streamable HTTP upstream", { timeout: 120_000 }, () => {
  it("lists the upstream's tools with prices in _meta only, charges a paid call, refuses without credits", async () => {
    const { customerId, licenseKey } = await polar.customer(99);
    const client = await connectClient(proxy.mcpUrl!, licenseKey);
    try {
      const { tools } = await client.listTools();
      const env = tools.find((t) => t.name === "get-env")!;
      expect(env._meta?.[PRICE_META_KEY]).toEqual({
        free: false,
        productId: polar.seed.creditsProductId,
        units: 1,
      });
      expect(env.description ?? "").not.toContain("Paid:");
      const echoed = (await client.callTool({
        name: "echo",
        arguments: { message: "through http" },
      })) as CallToolResult;
      expect(echoed.content).toEqual([
        expect.objectContaining({ text: expect.stringContaining("through http") }),
      ]);
      const paid = (await client.callTool({ name: "get-env", arguments: {} })) as CallToolResult;
      expect(paid.isError).toBeFalsy();
      const refused = (await client.callTool({ name: "get-env", arguments: {} })) as CallToolResult;
      expect(refused.structuredContent).toMatchObject({
        code: "meter_credit_exhausted",
        balance: 0,
      });
      await proxy.polar.flush(10_000);
      expect(proxy.polar.pendingEvents()).toBe(0);
      expect(await polar.eventsOf(customerId)).toHaveLength(100);
    } finally {
      await client.close();
    }
  });
});
