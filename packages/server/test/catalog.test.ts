import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { encode } from "gpt-tokenizer";
import { describe, expect, it } from "vitest";
import { buildToolCatalog, toolNameFromOperationId } from "../src/index.js";
import { toMcpTool } from "../src/modes/static.js";
import { loadSpec, loadSpecFresh } from "./helpers.js";

describe("tool catalogue", () => {
  const catalog = buildToolCatalog(loadSpec());

  it("has one tool per operation with unique [a-z0-9_] names of at most 64 chars", () => {
    expect(catalog.tools).toHaveLength(186);
    const names = catalog.tools.map((t) => t.name);
    expect(new Set(names).size).toBe(186);
    for (const name of names) expect(name).toMatch(/^[a-z0-9_]{1,64}$/);
  });

  it("derives names from operation ids with one scheme", () => {
    expect(toolNameFromOperationId("customer_portal:license_keys:validate")).toBe(
      "customer_portal_license_keys_validate",
    );
    expect(toolNameFromOperationId("checkout-links:list")).toBe("checkout_links_list");
    expect(toolNameFromOperationId("oauth2:clients:oauth2:create_client")).toBe(
      "oauth2_clients_create_client",
    );
    expect(catalog.byName.get("customers_list")?.operationId).toBe("customers:list");
    expect(catalog.byName.get("license_keys_validate")?.path).toBe("/v1/license-keys/validate");
  });

  it("gives the same names, order and schemas for two separately parsed documents", () => {
    const again = buildToolCatalog(loadSpecFresh());
    expect(again).not.toBe(catalog);
    expect(again.tools.map(toMcpTool)).toEqual(catalog.tools.map(toMcpTool));
    const sorted = [...catalog.tools.map((t) => t.name)].sort();
    expect(catalog.tools.map((t) => t.name)).toEqual(sorted);
  });

  it("caches the catalogue per document", () => {
    expect(buildToolCatalog(loadSpec())).toBe(catalog);
  });

  it("emits input schemas that compile as JSON Schema 2020-12 and draft-07 in strict mode", () => {
    // Union types (`type: ["number", "string"]`) are valid JSON Schema; strict mode only
    // asks to allow them explicitly.
    const ajv2020 = new Ajv2020({ strict: true, allowUnionTypes: true });
    const ajv07 = new Ajv({ strict: true, allowUnionTypes: true });
    for (const tool of catalog.tools) {
      expect(tool.inputSchema.type, tool.name).toBe("object");
      expect(() => ajv2020.compile(tool.inputSchema), tool.name).not.toThrow();
      expect(() => ajv07.compile(tool.inputSchema), tool.name).not.toThrow();
      expect(() => ajv2020.compile(catalog.describe(tool)), tool.name).not.toThrow();
    }
  });

  it("flattens path, query and body fields, with no request wrapper", () => {
    const schema = catalog.byName.get("customers_update")?.inputSchema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(schema.properties).toHaveProperty("id");
    expect(schema.properties).toHaveProperty("email");
    expect(schema.properties).not.toHaveProperty("request");
    expect(schema.required).toEqual(["id"]);
    const uploaded = catalog.byName.get("files_uploaded");
    expect(uploaded?.fields.map((f) => f.name)).toContain("body_id");
  });

  it("collapses nullable unions and one-or-many filters, and resolves $refs", () => {
    const json = JSON.stringify(catalog.tools.map((t) => t.inputSchema));
    // No nullable unions left: neither `type: [T, "null"]` nor a null branch of an anyOf.
    expect(json).not.toMatch(/"null"\]/);
    expect(json).not.toMatch(/\{"type":"null"\}[,\]]/);
    expect(json).not.toContain("#/components/");
    expect(json).not.toContain('"examples"');
    const list = catalog.byName.get("customers_list")?.inputSchema as {
      properties: Record<string, unknown>;
    };
    expect(list.properties.organization_id).toEqual({ type: "string" });
  });

  it("keeps discriminators of union bodies as enums", () => {
    const schema = catalog.byName.get("benefits_create")?.inputSchema as {
      properties: Record<string, { enum?: string[] }>;
    };
    expect(schema.properties.type?.enum).toEqual(
      expect.arrayContaining(["custom", "discord", "license_keys", "meter_credit"]),
    );
  });

  it("derives annotations from the operation, leaving out MCP's defaults", () => {
    expect(catalog.byName.get("customers_get")?.annotations).toEqual({ readOnlyHint: true });
    expect(catalog.byName.get("customers_create")?.annotations).toEqual({
      destructiveHint: false,
    });
    expect(catalog.byName.get("customers_update")?.annotations).toEqual({});
    expect(catalog.byName.get("customers_delete")?.annotations).toEqual({ idempotentHint: true });
    expect(catalog.byName.get("oauth2_clients_update_client")?.annotations).toEqual({
      idempotentHint: true,
    });
    // POSTs that refund, accept a dispute or reset a secret cannot be taken back: destructive.
    for (const name of [
      "refunds_create",
      "disputes_accept",
      "orders_finalize",
      "webhooks_reset_webhook_endpoint_secret",
      "license_keys_deactivate",
    ]) {
      expect(catalog.byName.get(name)?.annotations, name).toEqual({});
    }
  });

  it("keeps the document's warnings in destructive tools' descriptions", () => {
    expect(catalog.byName.get("customers_delete")?.description).toBe(
      "This action cannot be undone and will immediately: cancel any active subscriptions for the customer; revoke all their benefits; clear any external_id.",
    );
    expect(catalog.byName.get("customers_delete_external")?.description).toContain(
      "Immediately cancels any active subscriptions and revokes any active benefits.",
    );
    expect(catalog.byName.get("benefits_delete")?.description).toBe(
      "Every grants associated with the benefit will be revoked. Users will lose access to the benefit.",
    );
    expect(catalog.byName.get("subscriptions_revoke")?.description).toContain("cancel immediately");
    // Every tool whose document text warns keeps a warning, and no description is empty
    // unless the name says everything the first sentence said.
    for (const tool of catalog.tools) {
      const text = tool.operation.description ?? "";
      if (/\[!WARNING\]|cannot be undone|irreversib/i.test(text)) {
        expect(tool.description, tool.name).not.toBe("");
      }
    }
  });

  it("classifies operations into read, write and custom", () => {
    const count = (category: string) => catalog.tools.filter((t) => t.category === category).length;
    expect(count("read")).toBe(93);
    expect(count("read") + count("write") + count("custom")).toBe(186);
    expect(catalog.byName.get("license_keys_validate")?.category).toBe("custom");
    expect(catalog.byName.get("events_ingest")?.category).toBe("custom");
    expect(catalog.byName.get("products_update_benefits")?.category).toBe("write");
    expect(catalog.byName.get("subscriptions_revoke")?.kind).toBe("delete");
  });

  it("keeps tools/list of all 186 operations within 15,000 tokens", () => {
    const tokens = encode(JSON.stringify({ tools: catalog.tools.map(toMcpTool) })).length;
    expect(tokens).toBeLessThanOrEqual(15_000);
  });

  it("describes one operation with nesting for dynamic mode", () => {
    const described = catalog.describe(catalog.byName.get("events_ingest")!);
    const events = (described.properties as Record<string, { items?: { properties?: object } }>)
      .events;
    expect(events?.items?.properties).toHaveProperty("external_customer_id");
  });
});
