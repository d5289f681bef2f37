// `polar-mcp demo --script`: a real MCP client pays until the credits run out, then buys more.
import { runDemoScript } from "@polar-mcp/paywall/demo";
import { describe, expect, it } from "vitest";

describe("demo --script", () => {
  it("serves the seeded credits, denies, pays the denial's checkout, and serves again", async () => {
    const lines: string[] = [];
    const ok = await runDemoScript({ port: 0 }, (line) => lines.push(line));
    expect(lines.filter((l) => l.startsWith("✗"))).toEqual([]);
    expect(ok).toBe(true);
    expect(lines).toContain("✓ paid calls served: 100 of 100 credits");
    expect(lines).toContain("✓ next call → meter_credit_exhausted");
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^✓ the denial carries a checkout URL for this customer: http:\/\/127\.0\.0\.1:\d+\/checkout\/polar_c_[\w-]+$/,
      ),
    );
    expect(lines).toContain(
      "✓ checkout paid on the hosted page with the test card 4242 4242 4242 4242",
    );
    expect(lines).toContain("✓ access restored: the paid tool answers again after the purchase");
    // The payment loop: URL elicitation, paid, completed on the webhook, retried.
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^✓ a client declaring URL elicitation, without credits → -32042 asking it to open http:\/\/127\.0\.0\.1:\d+\/checkout\/polar_c_[\w-]+$/,
      ),
    );
    expect(lines).toContain(
      "✓ notifications/elicitation/complete received once Polar's webhook reported the purchase",
    );
    expect(lines).toContain("✓ the retry succeeds");
  });
});
