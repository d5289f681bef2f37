// loadDocumentFromUrl through the package's public entry, over a real local HTTP server:
// the document served is the document loaded, and a URL that answers 404 is an EmulatorError
// that names the URL's problem.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import {
  EmulatorError,
  listOperations,
  loadDocumentFromUrl,
  type OpenApiDocument,
} from "@polar-mcp/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SPEC_PATH =
  process.env.POLAR_OPENAPI ??
  fileURLToPath(new URL("../../../../shared/polar-openapi/2026-10.openapi.json", import.meta.url));
const SPEC_TEXT = readFileSync(SPEC_PATH, "utf8");

let server: Server;
let base: string;
const requested: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? "");
    if (req.url === "/openapi.json") {
      res.writeHead(200, { "content-type": "application/json" }).end(SPEC_TEXT);
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not here");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("loadDocumentFromUrl (public entry, real HTTP)", () => {
  it("fetches the document from the URL and returns the same operations as the file", async () => {
    const document = await loadDocumentFromUrl(`${base}/openapi.json`);
    expect(requested).toContain("/openapi.json");
    const expected = JSON.parse(SPEC_TEXT) as OpenApiDocument;
    const ids = (doc: OpenApiDocument) =>
      listOperations(doc)
        .map((operation) => `${operation.method} ${operation.path}`)
        .sort();
    expect(ids(document).length).toBeGreaterThan(100);
    expect(ids(document)).toEqual(ids(expected));
  });

  it("rejects a URL that answers 404 with an EmulatorError", async () => {
    await expect(loadDocumentFromUrl(`${base}/missing.json`)).rejects.toBeInstanceOf(EmulatorError);
    expect(requested).toContain("/missing.json");
  });
});
