// `polar-mcp paywall proxy` as an agent runs it: the real bin over stdio, with
// @modelcontextprotocol/server-everything (pinned) behind it and the emulator as Polar. The
// client declares URL elicitation, runs out of credits, pays in headless Chromium, receives
// notifications/elicitation/complete and its retry succeeds.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  ElicitationCompleteNotificationSchema,
  ErrorCode,
  McpError,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { launchBrowser } from "../../emulator/test/commerce/browser.js";
import { EVERYTHING, payInBrowser, startPolar } from "../../paywall/test/proxy/proxy-fixture.js";
import { runCli } from "../src/index.js";
import { capture } from "./capture.js";

const BIN = fileURLToPath(new URL("../bin/polar-mcp.js", import.meta.url));

let polar: Awaited<ReturnType<typeof startPolar>>;
let configFile: string;

beforeAll(async () => {
  polar = await startPolar();
  configFile = join(mkdtempSync(join(tmpdir(), "paywall-proxy-")), "proxy.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      upstream: { command: process.execPath, args: [EVERYTHING, "stdio"] },
      polar: {
        organizationId: polar.seed.organizationId,
        productId: polar.seed.creditsProductId,
        baseUrl: polar.emulator.url,
      },
      tools: { "get-sum": 2 },
      free: ["echo"],
    }),
  );
});

afterAll(async () => {
  await polar?.emulator.close();
});

describe("polar-mcp paywall proxy", { timeout: 150_000 }, () => {
  it("a bad config is refused with the field to fix, before anything starts", async () => {
    const bad = join(mkdtempSync(join(tmpdir(), "paywall-proxy-")), "bad.json");
    writeFileSync(bad, JSON.stringify({ upstream: { command: "x" }, polar: { productId: "p" } }));
    process.env.POLAR_ACCESS_TOKEN = "polar_oat_test";
    const io = capture();
    expect(await runCli(["paywall", "proxy", "--config", bad], io)).toBe(2);
    expect(io.stderr).toContain("`polar.organizationId` must be a non-empty string");
    expect(io.stderr).not.toMatch(/\n\s+at /);
  });

  it("over stdio: the URL-elicitation loop, paid in Chromium, and the retry succeeds", async () => {
    // The demo meter counts events (one credit a call whatever `units` says): one credit left.
    const { licenseKey } = await polar.customer(99);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, "paywall", "proxy", "--config", configFile, "--port", "0", "--register-webhook"],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        POLAR_ACCESS_TOKEN: polar.seed.accessToken,
        POLAR_LICENSE_KEY: licenseKey,
        POLAR_PAYWALL_OUTBOX: ":memory:",
      },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const client = new Client(
      { name: "stdio-agent", version: "1.0.0" },
      { capabilities: { elicitation: { url: {} } } },
    );
    const completions: string[] = [];
    client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => {
      completions.push(n.params.elicitationId);
    });
    await client.connect(transport);
    const browser = await launchBrowser();
    try {
      const webhookUrl = await vi.waitFor(
        () => {
          const url = /Polar webhooks received at (\S+)/.exec(stderr)?.[1];
          if (!url) throw new Error("not listening yet");
          return url;
        },
        { timeout: 30_000, interval: 100 },
      );
      await vi.waitFor(
        async () => {
          if (!(await polar.webhookRegistered(webhookUrl))) throw new Error("not registered");
        },
        { timeout: 30_000, interval: 100 },
      );
      const tools = await client.listTools();
      expect(tools.tools.find((t) => t.name === "get-sum")?.description).toContain(
        "Paid: 2 credits per call.",
      );
      const sum = (await client.callTool({
        name: "get-sum",
        arguments: { a: 1, b: 2 },
      })) as CallToolResult;
      expect(sum.isError).toBeFalsy();
      const error = await client.callTool({ name: "get-sum", arguments: { a: 1, b: 2 } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(ErrorCode.UrlElicitationRequired);
      const [elicitation] = (
        (error as McpError).data as { elicitations: { elicitationId: string; url: string }[] }
      ).elicitations;
      await payInBrowser(browser.context, elicitation!.url);
      await expect
        .poll(() => completions, { timeout: 60_000 })
        .toEqual([elicitation!.elicitationId]);
      const retried = (await client.callTool({
        name: "get-sum",
        arguments: { a: 1, b: 2 },
      })) as CallToolResult;
      expect(retried.isError).toBeFalsy();
      expect(stderr).not.toContain(polar.seed.accessToken);
    } finally {
      await browser.close();
      await client.close();
    }
  });
});
