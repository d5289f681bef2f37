import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "@polar-mcp/emulator";
import { PolarProvider } from "@polar-mcp/paywall";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { capture } from "./capture.js";

describe("polar-mcp paywall reconcile", () => {
  it("--help lists its flags", async () => {
    const io = capture();
    expect(await runCli(["paywall", "reconcile", "--help"], io)).toBe(0);
    for (const flag of [
      "--base-url",
      "--organization-id",
      "--product-id",
      "--outbox",
      "--redis",
      "--customer",
      "--json",
    ])
      expect(io.stdout).toContain(flag);
  });

  it("prints Polar's meter, the live events and the outbox's pending units per customer", async () => {
    const emulator = await startEmulator({ db: ":memory:", seed: "demo", instantBalances: true });
    const seed = emulator.seed!;
    const outbox = join(mkdtempSync(join(tmpdir(), "reconcile-")), "outbox.sqlite");
    const polar = PolarProvider.getInstance({
      token: seed.accessToken,
      organizationId: seed.organizationId,
      productId: seed.productId,
      baseUrl: emulator.url,
      outbox,
      batch: { intervalMs: 3_600_000 },
    });
    try {
      for (let i = 0; i < 5; i++)
        await polar.validateLicenseKey(seed.licenseKey, { name: "tool_call" });
      await polar.flush();
      for (let i = 0; i < 3; i++)
        await polar.validateLicenseKey(seed.licenseKey, { name: "tool_call" });
      process.env.POLAR_ACCESS_TOKEN = seed.accessToken;
      const args = [
        "paywall",
        "reconcile",
        "--base-url",
        emulator.url,
        "--organization-id",
        seed.organizationId,
        "--product-id",
        seed.productId,
        "--outbox",
        outbox,
      ];
      const io = capture();
      expect(await runCli([...args, "--json"], io)).toBe(0);
      const rows = JSON.parse(io.stdout) as Record<string, number | string>[];
      expect(rows).toEqual([
        expect.objectContaining({
          customerId: seed.customerId,
          liveConsumed: 5,
          outboxPending: 3,
          polarConsumed: 5,
          meterLag: 0,
          credited: 100,
          available: 92,
        }),
      ]);
      const text = capture();
      expect(await runCli(args, text)).toBe(0);
      expect(text.stdout).toContain("live consumed");
      expect(text.stdout).toMatch(/No drift/);
    } finally {
      delete process.env.POLAR_ACCESS_TOKEN;
      await polar.close();
      await emulator.close();
    }
  });
});
