import { startEmulator } from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { capture } from "./capture.js";
import { collectOverride, parseClockStep } from "../src/commands/emulator-control.js";

let running: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  running = await startEmulator({ seed: "demo" });
});
afterAll(async () => {
  await running?.close();
});

describe("polar-mcp emulator trigger / clock advance", () => {
  it("trigger order.paid runs the purchase chain on a running emulator", async () => {
    const io = capture();
    const code = await runCli(
      [
        "emulator",
        "trigger",
        "order.paid",
        "--override",
        "customer.email=cli@example.com",
        "--override",
        "metadata.source=cli",
        "--url",
        running.url,
        "--json",
      ],
      io,
    );
    expect(io.stderr).toBe("");
    expect(code).toBe(0);
    const answer = JSON.parse(io.stdout) as { order_id: string; customer_id: string };
    const res = await fetch(`${running.url}/v1/orders/${answer.order_id}`, {
      headers: { authorization: `Bearer ${running.seed!.accessToken}` },
    });
    expect(await res.json()).toMatchObject({
      status: "paid",
      metadata: { source: "cli" },
      customer: { email: "cli@example.com" },
    });
  });

  it("prints the ids in plain mode", async () => {
    const io = capture();
    expect(
      await runCli(["emulator", "trigger", "subscription.created", "--url", running.url], io),
    ).toBe(0);
    expect(io.stdout).toMatch(/^Triggered subscription.created: .*subscription_id=[0-9a-f-]{36}/);
  });

  it("clock advance 1mo renews the demo subscription", async () => {
    const io = capture();
    expect(
      await runCli(["emulator", "clock", "advance", "1mo", "--url", running.url, "--json"], io),
    ).toBe(0);
    const answer = JSON.parse(io.stdout) as { happened: { kind: string }[] };
    expect(answer.happened.map((h) => h.kind)).toContain("subscription.renewal");
  });

  it("says what went wrong: unknown event, bad override, bad amount, no emulator", async () => {
    let io = capture();
    expect(
      await runCli(["emulator", "trigger", "order.teleported", "--url", running.url], io),
    ).not.toBe(0);
    expect(io.stderr).toContain("Unknown event");
    io = capture();
    expect(await runCli(["emulator", "trigger", "order.paid", "--override", "oops"], io)).not.toBe(
      0,
    );
    expect(io.stderr).toContain("expected path=value");
    io = capture();
    expect(await runCli(["emulator", "clock", "advance", "soon"], io)).not.toBe(0);
    expect(io.stderr).toContain("expected an amount");
    io = capture();
    expect(
      await runCli(["emulator", "trigger", "order.paid", "--url", "http://127.0.0.1:9"], io),
    ).not.toBe(0);
    expect(io.stderr).toContain("No emulator answers at http://127.0.0.1:9");
  });

  it("helper only: collectOverride splits at the first = and parseClockStep reads 30d, 3mo and 15m", () => {
    expect(collectOverride("a.b=c=d", { x: "y" })).toEqual({ x: "y", "a.b": "c=d" });
    expect(parseClockStep("30d")).toEqual({ days: 30 });
    expect(parseClockStep("3mo")).toEqual({ months: 3 });
    expect(parseClockStep("15m")).toEqual({ minutes: 15 });
  });

  it("--help lists the subcommands and their flags", async () => {
    let io = capture();
    expect(await runCli(["emulator", "--help"], io)).toBe(0);
    expect(io.stdout).toMatch(/trigger \[options\] <event>/);
    expect(io.stdout).toMatch(/clock/);
    io = capture();
    expect(await runCli(["emulator", "trigger", "--help"], io)).toBe(0);
    for (const flag of ["--override", "--organization", "--url", "--json"])
      expect(io.stdout).toContain(flag);
  });
});
