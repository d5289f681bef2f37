import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadOpenApiDocument, ServerError } from "../src/index.js";
import { loadSpec, SPEC_PATH } from "./helpers.js";

const cacheHome = mkdtempSync(join(tmpdir(), "polar-mcp-server-load-"));
afterAll(() => rmSync(cacheHome, { recursive: true, force: true }));

describe("loadOpenApiDocument", () => {
  it("reads Polar's document from a file path (all 127 paths)", async () => {
    const doc = await loadOpenApiDocument(SPEC_PATH);
    expect(Object.keys(doc.paths)).toHaveLength(127);
  });

  it("without a source, reads POLAR_OPENAPI, whether it names a file or a URL", async () => {
    const fromEnv = await loadOpenApiDocument(undefined, { env: { POLAR_OPENAPI: SPEC_PATH } });
    expect(fromEnv.info?.version).toBe("2026-10");
    const urls: string[] = [];
    const fetch: typeof globalThis.fetch = async (url) => {
      urls.push(String(url));
      return new Response(JSON.stringify(loadSpec()), {
        headers: { "content-type": "application/json" },
      });
    };
    const fromUrl = await loadOpenApiDocument(undefined, {
      fetch,
      env: { POLAR_OPENAPI: "http://127.0.0.1:8787/openapi.json", XDG_CACHE_HOME: cacheHome },
    });
    expect(urls).toEqual(["http://127.0.0.1:8787/openapi.json"]);
    expect(fromUrl.openapi).toBe("3.1.0");
  });

  it("fails with a ServerError that says what to pass", async () => {
    await expect(
      loadOpenApiDocument("/nonexistent/openapi.json", { env: {} }),
    ).rejects.toMatchObject({ code: "missing_openapi" });
    const notFound: typeof globalThis.fetch = async () => new Response("nope", { status: 404 });
    const error = await loadOpenApiDocument("https://example.test/openapi.json?token=secret", {
      fetch: notFound,
      env: { XDG_CACHE_HOME: cacheHome },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toContain("HTTP 404");
    expect((error as Error).message).toContain("POLAR_OPENAPI");
    expect((error as Error).message).toContain("--spec");
    expect((error as Error).message).not.toContain("secret");
  });
});
