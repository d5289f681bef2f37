// Shared test helpers: Polar's OpenAPI document (read from the shared folder, never
// copied), a fake Polar fetch that records requests, and an MCP client over memory.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  createPolarMcpServer,
  type OpenApiDocument,
  type PolarMcpServerOptions,
} from "../src/index.js";

export const SPEC_PATH =
  process.env.POLAR_OPENAPI ??
  fileURLToPath(new URL("../../../../shared/polar-openapi/2026-10.openapi.json", import.meta.url));

let cached: OpenApiDocument | undefined;
/** The parsed document, parsed once per test file. */
export function loadSpec(): OpenApiDocument {
  cached ??= JSON.parse(readFileSync(SPEC_PATH, "utf8")) as OpenApiDocument;
  return cached;
}

/** A fresh parse (a different object), to prove results do not depend on caching. */
export function loadSpecFresh(): OpenApiDocument {
  return JSON.parse(readFileSync(SPEC_PATH, "utf8")) as OpenApiDocument;
}

export const ORG_TOKEN = "polar_oat_test_organization_token";

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
  rawBody: string | undefined;
}

export type FakeRoute = (request: RecordedRequest) => Response | undefined;

/** A fake Polar: records every request; answers from routes, else 404 ResourceNotFound. */
export function fakePolar(...routes: FakeRoute[]) {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const rawBody = typeof init?.body === "string" ? init.body : undefined;
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    let body: unknown = rawBody;
    if (rawBody !== undefined && headers["content-type"] === "application/json")
      body = JSON.parse(rawBody);
    const request: RecordedRequest = {
      method: init?.method ?? "GET",
      url: new URL(String(input instanceof Request ? input.url : input)),
      headers,
      body,
      rawBody,
    };
    requests.push(request);
    for (const route of routes) {
      const response = route(request);
      if (response) return response;
    }
    return json(404, { error: "ResourceNotFound", detail: "Not found" });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** An official MCP client connected in memory to a server built with these options. */
export async function connect(
  options: Partial<Omit<PolarMcpServerOptions, "accessToken">> & {
    accessToken?: string | undefined;
  } = {},
) {
  const { accessToken = "accessToken" in options ? undefined : ORG_TOKEN, ...rest } = options;
  const server = createPolarMcpServer({
    spec: loadSpec(),
    ...rest,
    ...(accessToken === undefined ? {} : { accessToken }),
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test-client", version: "1.0.0" });
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return {
    client,
    async call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
      return (await client.callTool({ name, arguments: args })) as CallToolResult;
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}
