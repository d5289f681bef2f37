import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cacheDirectory,
  cachedDocumentPath,
  OpenApiError,
  POLAR_API_VERSION,
  publicDocumentUrl,
  resolveOpenApiDocument,
  resolveOpenApiDocumentSync,
  type ResolveOpenApiOptions,
} from "../src/index.js";
import { documentOf, startDocumentServer, type DocumentServer } from "./document-server.js";

const VERSION = POLAR_API_VERSION;
const scratch = mkdtempSync(join(tmpdir(), "polar-mcp-openapi-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let server: DocumentServer;
let cacheDir: string;
let logged: string[];
let run = 0;

function file(name: string, text: string): string {
  const path = join(scratch, `${run}-${name}`);
  writeFileSync(path, text);
  return path;
}

beforeEach(async () => {
  run += 1;
  cacheDir = join(scratch, `cache-${run}`);
  logged = [];
  server = await startDocumentServer({
    "/ok.json": { body: documentOf(VERSION) },
    "/other-version.json": { body: documentOf("2027-01") },
    "/html": { type: "text/html", body: "<!doctype html><title>Sign in</title>" },
    "/down": { status: 503, body: "busy" },
  });
});
afterEach(() => server.close());

/** Options that see no shipped copy and no real environment: only what each test gives. */
function options(extra: ResolveOpenApiOptions = {}): ResolveOpenApiOptions {
  return {
    env: {},
    cacheDir,
    localCopies: [],
    publicUrl: server.url("/ok.json"),
    log: (line) => logged.push(line),
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<OpenApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenApiError);
  return error as OpenApiError;
}

describe("resolveOpenApiDocument: the order of sources", () => {
  it("an object is used as given", async () => {
    const spec = { openapi: "3.1.0", paths: {} };
    expect(await resolveOpenApiDocument(options({ spec }))).toBe(spec);
  });

  it("spec wins over POLAR_OPENAPI, which wins over the shipped copy", async () => {
    const a = file("a.json", documentOf(VERSION).replace("/v1/x", "/v1/from-spec"));
    const b = file("b.json", documentOf(VERSION).replace("/v1/x", "/v1/from-env"));
    const shipped = file("c.json", documentOf(VERSION).replace("/v1/x", "/v1/shipped"));
    const base = options({ env: { POLAR_OPENAPI: b }, localCopies: [shipped] });
    expect(Object.keys((await resolveOpenApiDocument({ ...base, spec: a })).paths)).toEqual([
      "/v1/from-spec",
    ]);
    expect(Object.keys((await resolveOpenApiDocument(base)).paths)).toEqual(["/v1/from-env"]);
    expect(Object.keys((await resolveOpenApiDocument({ ...base, env: {} })).paths)).toEqual([
      "/v1/shipped",
    ]);
    expect(server.requests).toEqual([]);
  });

  it("POLAR_OPENAPI may be a URL: fetched, checked, cached under the version", async () => {
    const url = server.url("/ok.json");
    const doc = await resolveOpenApiDocument(options({ env: { POLAR_OPENAPI: url } }));
    expect(doc.info?.version).toBe(VERSION);
    expect(server.requests).toEqual(["/ok.json"]);
    const cached = cachedDocumentPath(cacheDir, VERSION);
    expect(JSON.parse(readFileSync(cached, "utf8"))).toEqual(doc);
    expect(logged.join("\n")).toContain(cached);
  });

  it("without any local copy, Polar's public document is fetched once, then read from the cache", async () => {
    await resolveOpenApiDocument(options());
    await resolveOpenApiDocument(options());
    expect(server.requests).toEqual(["/ok.json"]);
    expect(existsSync(cachedDocumentPath(cacheDir, VERSION))).toBe(true);
  });

  it("a URL that cannot be reached falls back to the cached copy, and says so", async () => {
    await resolveOpenApiDocument(options({ env: { POLAR_OPENAPI: server.url("/ok.json") } }));
    const unreachable = server.url("/ok.json");
    await server.close();
    const doc = await resolveOpenApiDocument(options({ env: { POLAR_OPENAPI: unreachable } }));
    expect(doc.info?.version).toBe(VERSION);
    expect(logged.at(-1)).toMatch(/ECONNREFUSED.*using the cached copy/);
    server = await startDocumentServer({});
  });

  it("a 5xx counts as unreachable: the cached copy serves", async () => {
    await resolveOpenApiDocument(options());
    const doc = await resolveOpenApiDocument(options({ spec: server.url("/down") }));
    expect(doc.info?.version).toBe(VERSION);
  });
});

describe("resolveOpenApiDocument: clear errors, never a stack trace", () => {
  it("nothing shipped, nothing cached, network down: names POLAR_OPENAPI, --spec and the URL tried", async () => {
    const url = server.url("/ok.json");
    await server.close();
    const error = await failure(resolveOpenApiDocument(options({ publicUrl: url })));
    expect(error.code).toBe("not_found");
    expect(error.message).toContain("POLAR_OPENAPI");
    expect(error.message).toContain("--spec");
    expect(error.message).toContain(url);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain(cachedDocumentPath(cacheDir, VERSION));
    expect(error.message).not.toMatch(/\n\s+at /);
    server = await startDocumentServer({});
  });

  it("a URL answering 404 is an error even with a cached copy", async () => {
    await resolveOpenApiDocument(options());
    const error = await failure(
      resolveOpenApiDocument(options({ spec: server.url("/missing.json?token=s3cret") })),
    );
    expect(error.message).toContain("HTTP 404");
    expect(error.message).toContain("(this URL came from --spec)");
    expect(error.message).not.toContain("s3cret");
  });

  it("a URL answering HTML", async () => {
    const error = await failure(
      resolveOpenApiDocument(options({ env: { POLAR_OPENAPI: server.url("/html") } })),
    );
    expect(error.code).toBe("invalid");
    expect(error.message).toMatch(/\/html \(POLAR_OPENAPI\) is HTML, not Polar's OpenAPI document/);
  });

  it("a document of another API version", async () => {
    const error = await failure(
      resolveOpenApiDocument(options({ spec: server.url("/other-version.json") })),
    );
    expect(error.message).toContain("API version 2027-01, not 2026-10");
    expect(existsSync(cachedDocumentPath(cacheDir, VERSION))).toBe(false);
  });

  it("a file that is not JSON, JSON that is not OpenAPI, a file that does not exist", async () => {
    const notJson = file("not.json", "openapi: 3.1.0\n");
    expect((await failure(resolveOpenApiDocument(options({ spec: notJson })))).message).toBe(
      `${notJson} (--spec) is not JSON: pass Polar's 2026-10 document with --spec FILE|URL or POLAR_OPENAPI.`,
    );
    const notOpenApi = file("package.json", '{ "name": "x" }');
    expect(
      (await failure(resolveOpenApiDocument(options({ spec: notOpenApi })))).message,
    ).toContain("not an OpenAPI 3 document");
    const missing = join(scratch, "nowhere.json");
    const error = await failure(
      resolveOpenApiDocument(options({ env: { POLAR_OPENAPI: missing } })),
    );
    expect(error.message).toContain(
      `Cannot read Polar's OpenAPI document at ${missing} (POLAR_OPENAPI: ENOENT)`,
    );
  });

  it("a corrupt cached copy says to delete it", async () => {
    const cached = cachedDocumentPath(cacheDir, VERSION);
    await resolveOpenApiDocument(options());
    writeFileSync(cached, "{ half a docu");
    const error = await failure(resolveOpenApiDocument(options()));
    expect(error.message).toContain(
      `the cached copy ${cached} (delete it to fetch again) is not JSON`,
    );
  });
});

describe("resolveOpenApiDocumentSync (createEmulator)", () => {
  it("reads files, the shipped copy and the cache without the network", async () => {
    const shipped = file("s.json", documentOf(VERSION));
    expect(resolveOpenApiDocumentSync(options({ localCopies: [shipped] })).info?.version).toBe(
      VERSION,
    );
    await resolveOpenApiDocument(options());
    expect(resolveOpenApiDocumentSync(options()).info?.version).toBe(VERSION);
    expect(
      resolveOpenApiDocumentSync(options({ env: { POLAR_OPENAPI: server.url("/ok.json") } })).info
        ?.version,
    ).toBe(VERSION);
    expect(server.requests).toEqual(["/ok.json"]);
  });

  it("with nothing local or cached it says how to fetch", () => {
    expect(() => resolveOpenApiDocumentSync(options())).toThrow(
      /must be fetched from .*\/ok\.json and no copy is cached at .*startEmulator\(\)/,
    );
  });
});

describe("where things live", () => {
  it("the cache directory follows XDG_CACHE_HOME, else ~/.cache", () => {
    expect(cacheDirectory({ XDG_CACHE_HOME: "/x/cache", HOME: "/home/u" })).toBe(
      "/x/cache/polar-mcp",
    );
    expect(cacheDirectory({ XDG_CACHE_HOME: "relative", HOME: "/home/u" })).toBe(
      "/home/u/.cache/polar-mcp",
    );
    expect(cacheDirectory({ HOME: "/home/u" })).toBe("/home/u/.cache/polar-mcp");
  });

  it("Polar's public document of the version is in its repository's docs/openapi/", () => {
    expect(publicDocumentUrl("2026-10")).toBe(
      "https://raw.githubusercontent.com/polarsource/polar/main/docs/openapi/2026-10.openapi.json",
    );
  });

  it("the default sources find Polar's real document (127 paths): shipped, checkout or fetched", async () => {
    const doc = await resolveOpenApiDocument({
      env: { POLAR_OPENAPI: process.env.POLAR_OPENAPI },
      cacheDir,
      log: () => undefined,
    });
    expect(Object.keys(doc.paths)).toHaveLength(127);
  });
});
