// `polar-mcp demo --script`: a real MCP client pays until the credits run out.
import { runDemoScript } from "@polar-mcp/paywall/demo";
import { describe, expect, it } from "vitest";

describe("demo --script", () => {
  it("serves exactly the seeded credits, then denies with meter_credit_exhausted", async () => {
    const lines: string[] = [];
    const ok = await runDemoScript({ port: 0 }, (line) => lines.push(line));
    expect(lines.filter((l) => l.startsWith("✗"))).toEqual([]);
    expect(ok).toBe(true);
    expect(lines).toContain("✓ paid calls served: 100 of 100 credits");
    expect(lines).toContain("✓ next call → meter_credit_exhausted");
  });
});
