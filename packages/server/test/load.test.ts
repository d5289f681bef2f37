import { describe, expect, it } from "vitest";
import { loadOpenApiDocument, ServerError } from "../src/index.js";
import { loadSpec, SPEC_PATH } from "./helpers.js";

describe("loadOpenApiDocument", () => {
  it("reads a file", async () => {
    const doc = await loadOpenApiDocument(SPEC_PATH);
    expect(Object.keys(doc.paths)).toHaveLength(127);
  });

  it("falls back to POLAR_OPENAPI, then to <baseUrl>/openapi.json", async () => {
    const fromEnv = await loadOpenApiDocument(undefined, { env: { POLAR_OPENAPI: SPEC_PATH } });
    expect(fromEnv.info?.version).toBe("2026-10");
    const urls: string[] = [];
    const fetch = (async (url: string) => {
      urls.push(String(url));
      return new Response(JSON.stringify(loadSpec()), {
        headers: { "content-type": "application/json" },
      });
    }) as unknown as typeof globalThis.fetch;
    const fromUrl = await loadOpenApiDocument(undefined, {
      baseUrl: "http://127.0.0.1:8787/",
      fetch,
      env: {},
    });
    expect(urls).toEqual(["http://127.0.0.1:8787/openapi.json"]);
    expect(fromUrl.openapi).toBe("3.1.0");
  });

  it("fails with a ServerError that says what to pass", async () => {
    await expect(
      loadOpenApiDocument("/nonexistent/openapi.json", { env: {} }),
    ).rejects.toMatchObject({
      code: "missing_openapi",
    });
    await expect(loadOpenApiDocument(undefined, { env: {} })).rejects.toThrow(/--spec FILE\|URL/);
    const notFound = (async () =>
      new Response("nope", { status: 404 })) as unknown as typeof globalThis.fetch;
    const error = await loadOpenApiDocument("https://example.test/openapi.json?token=secret", {
      fetch: notFound,
      env: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toContain("HTTP 404");
    expect((error as Error).message).not.toContain("secret");
  });
});
