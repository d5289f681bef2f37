// createPolarMcpServer hands `sdk.jsonSchemaValidator` to the SDK server (a host building a
// server per request shares one instead of a new Ajv each time): the server validates an
// elicitation answer with it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import { describe, expect, it } from "vitest";
import { createPolarMcpServer } from "../src/index.js";
import { loadSpec, ORG_TOKEN } from "./helpers.js";

describe("createPolarMcpServer sdk options", () => {
  it("validates with the JSON Schema validator it is given", async () => {
    const schemas: unknown[] = [];
    const validator: jsonSchemaValidator = {
      getValidator: (schema) => {
        schemas.push(schema);
        return () => ({
          valid: false,
          data: undefined,
          errorMessage: "refused by the test validator",
        });
      },
    };
    const server = createPolarMcpServer(
      { spec: loadSpec(), accessToken: ORG_TOKEN },
      { jsonSchemaValidator: validator },
    );
    const client = new Client({ name: "t", version: "0" }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, () => ({
      action: "accept",
      content: { email: "a@example.com" },
    }));
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([client.connect(a), server.connect(b)]);
    try {
      const requestedSchema = {
        type: "object" as const,
        properties: { email: { type: "string" as const } },
      };
      await expect(
        server.server.elicitInput({ message: "Email?", requestedSchema }),
      ).rejects.toThrow(/refused by the test validator/);
      expect(schemas).toEqual([requestedSchema]);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
