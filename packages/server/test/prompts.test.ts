import { describe, expect, it } from "vitest";
import { buildToolCatalog, PROMPT_NAMES } from "../src/index.js";
import { connect, loadSpec } from "./helpers.js";

describe("workflow prompts", () => {
  const catalog = buildToolCatalog(loadSpec());

  it("offers the three workflows of seed 001", async () => {
    const session = await connect();
    const { prompts } = await session.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(Object.values(PROMPT_NAMES).sort());
    await session.close();
  });

  it("names only tools that exist and that an organization token can call", async () => {
    const session = await connect();
    const listed = new Set((await session.client.listTools()).tools.map((t) => t.name));
    const args = {
      [PROMPT_NAMES.supportTriage]: {
        customer_email: "sarah@acmecorp.com",
        benefit: "GitHub repository access",
      },
      [PROMPT_NAMES.enterpriseCheckout]: {
        product_id: "prod_xyz123",
        external_customer_id: "acc_999888",
      },
      [PROMPT_NAMES.usageAudit]: {
        license_key: "POLAR-MIKE-999",
        organization_id: "org_1",
        event_name: "export_credits",
        units: "500",
      },
    };
    for (const [name, values] of Object.entries(args)) {
      const prompt = await session.client.getPrompt({ name, arguments: values });
      const content = prompt.messages[0]?.content;
      const text = content?.type === "text" ? content.text : "";
      const tools = [...text.matchAll(/`([a-z0-9_]+)`/g)]
        .map((m) => m[1] as string)
        .filter((t) => t.includes("_"));
      expect(tools.length, name).toBeGreaterThan(1);
      for (const tool of tools) {
        expect(catalog.byName.has(tool), `${name} names ${tool}`).toBe(true);
        expect(listed.has(tool), `${name} names ${tool}`).toBe(true);
      }
      for (const value of Object.values(values)) expect(text).toContain(value);
    }
    await session.close();
  });

  it("goes through call_operation in dynamic mode", async () => {
    const session = await connect({ mode: "dynamic" });
    const prompt = await session.client.getPrompt({
      name: PROMPT_NAMES.supportTriage,
      arguments: { customer_email: "sarah@acmecorp.com" },
    });
    const content = prompt.messages[0]?.content;
    expect(content?.type === "text" ? content.text : "").toContain(
      '`call_operation` with name "customers_list"',
    );
    await session.close();
  });
});
