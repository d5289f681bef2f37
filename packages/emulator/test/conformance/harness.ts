import { serve } from "@hono/node-server";
import { createPolar } from "@polar-sh/sdk/2026-10";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { Polar } from "polar-sdk-strict";
import { createEmulator, listOperations, type OperationSpec } from "../../src/index.js";
import type { OpenApiDocument } from "../../src/index.js";

/** Polar's document, read from beside the repository (never copied into it). */
const DOCUMENT_PATH = new URL(
  "../../../../../shared/polar-openapi/2026-10.openapi.json",
  import.meta.url,
);
export const document = JSON.parse(readFileSync(DOCUMENT_PATH, "utf8")) as OpenApiDocument;

type AddFormats = (ajv: Ajv2020) => unknown;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

/** One response seen on the wire, checked against the document's response schema. */
export interface Exchange {
  operationId: string;
  status: number;
  schemaErrors: string[];
}

function responseValidators(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat("uuid4", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i);
  ajv.addSchema({ $id: "polar", components: doc.components ?? {} });
  const cache = new Map<string, ValidateFunction>();
  return (op: OperationSpec, status: number): ValidateFunction | undefined => {
    const key = `${op.operationId} ${status}`;
    if (cache.has(key)) return cache.get(key);
    const schema = op.operation.responses?.[String(status)]?.content?.["application/json"]?.schema;
    const validate = schema
      ? ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/', '"polar#/')) as object)
      : undefined;
    if (validate) cache.set(key, validate);
    return validate;
  };
}

/**
 * Where Polar's server answers another status than its document says, the body is checked
 * against the documented one: client registration is authlib's RFC 7591 endpoint (201).
 */
const SERVED_STATUS: Record<string, Record<number, number>> = {
  "oauth2:clients:oauth2:create_client": { 201: 200 },
};

function matcher(operations: OperationSpec[]) {
  const routes = operations.map((op) => ({
    op,
    pattern: new RegExp(`^${op.path.replace(/\/$/, "").replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
    statics: op.path.split("/").filter((s) => !s.startsWith("{")).length,
  }));
  // A static segment wins over a parameter (`/customers/external/{id}` vs `/customers/{id}/x`).
  routes.sort((a, b) => b.statics - a.statics);
  return (method: string, path: string) =>
    routes.find((r) => r.op.method === method.toLowerCase() && r.pattern.test(path))?.op;
}

/**
 * Starts a demo emulator on a real socket, with every response checked against the
 * document's schema for its operation and status, and the two official SDKs as clients.
 */
export async function startConformance() {
  // Every case shares one emulator; the portal's 3/s limit would turn its calls into 429s.
  // The cases read balances right after ingesting: instant, not Polar's debounced recompute.
  const emulator = createEmulator({
    seed: "demo",
    spec: document,
    portalRateLimit: false,
    instantBalances: true,
  });
  const operationFor = matcher(listOperations(document));
  const validatorFor = responseValidators(document);
  const exchanges: Exchange[] = [];
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        port: 0,
        hostname: "127.0.0.1",
        fetch: async (request: Request) => {
          const response = await emulator.fetch(request);
          const op = operationFor(request.method, new URL(request.url).pathname);
          if (op) {
            const text = await response.clone().text();
            const validate = validatorFor(
              op,
              SERVED_STATUS[op.operationId]?.[response.status] ?? response.status,
            );
            const schemaErrors: string[] = [];
            if (validate && !validate(text ? JSON.parse(text) : null)) {
              schemaErrors.push(
                ...(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`),
              );
            }
            // CSV exports are documented as text/csv without a JSON schema.
            const json = (response.headers.get("content-type") ?? "").includes("json");
            if (!validate && text && json && response.status < 300)
              schemaErrors.push(`no schema for status ${response.status}`);
            exchanges.push({ operationId: op.operationId, status: response.status, schemaErrors });
          }
          return response;
        },
      },
      () => resolve(s),
    );
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Hosted pages and links are built on the URL clients reach the emulator at.
  emulator.context.baseUrl = url;
  const seed = emulator.seed!;
  return {
    url,
    seed,
    emulator,
    exchanges,
    latest: createPolar({ accessToken: seed.accessToken, baseUrl: url }),
    strict: new Polar({ accessToken: seed.accessToken, serverURL: url }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}

export type Conformance = Awaited<ReturnType<typeof startConformance>>;

/**
 * One operation exercised by both SDKs. Each function must call the operation (at least
 * once, successfully) and may assert on what it gets back; setup calls are fine too.
 */
export interface ConformanceCase {
  operationId: string;
  latest(h: Conformance): Promise<void>;
  strict(h: Conformance): Promise<void>;
}
