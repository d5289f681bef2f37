import { describe, expect, it } from "vitest";
import { createEmulator, loadDocument } from "../src/index.js";

const emulator = createEmulator({ seed: "demo" });
const token = emulator.seed!.accessToken;

function call(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; raw?: string } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...init.headers };
  if (init.body !== undefined || init.raw !== undefined)
    headers["content-type"] = "application/json";
  return emulator.fetch(
    new Request(`http://emulator${path}`, {
      method,
      headers,
      ...(init.raw !== undefined
        ? { body: init.raw }
        : init.body !== undefined
          ? { body: JSON.stringify(init.body) }
          : {}),
    }),
  );
}

describe("emulator core", () => {
  it("serves the demo organization to its token", async () => {
    const res = await call("GET", `/v1/organizations/${emulator.seed!.organizationId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: emulator.seed!.organizationId, slug: "polar-mcp-demo" });
    expect(body).toHaveProperty("feature_settings");
  });

  it("answers 401 with WWW-Authenticate for a missing or unknown token", async () => {
    for (const headers of [{ authorization: "" }, { authorization: "Bearer polar_oat_nope" }]) {
      const res = await call("GET", "/v1/organizations/", { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(await res.json()).toEqual({ error: "Unauthorized", detail: "Unauthorized" });
    }
  });

  it("answers 422 for a non-UUID id", async () => {
    const res = await call("GET", "/v1/organizations/not-a-uuid");
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: string;
      detail: { loc: unknown[]; type: string }[];
    };
    expect(body.error).toBe("RequestValidationError");
    expect(body.detail[0]).toMatchObject({ loc: ["path", "id"], type: "uuid_parsing" });
  });

  it("answers 501 naming the operation for what is not implemented", async () => {
    // Every operation of 2026-10 has a handler: a newer document's extra operation has none.
    const document = loadDocument();
    const newer = {
      ...document,
      paths: {
        ...document.paths,
        "/v1/future-things/": {
          get: {
            operationId: "future_things:list",
            security: [{ oat: ["products:read"] }],
            responses: { "200": { description: "OK" } },
          },
        },
      },
    };
    const future = createEmulator({ seed: "demo", spec: newer });
    const res = await future.fetch(
      new Request("http://emulator/v1/future-things/", {
        headers: { authorization: `Bearer ${future.seed!.accessToken}` },
      }),
    );
    expect(res.status).toBe(501);
    expect(await res.json()).toEqual({
      error: "NotImplemented",
      detail: "future_things:list is not implemented by the emulator yet",
    });
    await future.close();
  });

  it("rejects malformed JSON with 422 and an unknown Polar-Version with 404", async () => {
    const bad = await call("PATCH", `/v1/organizations/${emulator.seed!.organizationId}`, {
      raw: "{nope",
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { detail: { type: string }[] }).detail[0]?.type).toBe(
      "json_invalid",
    );
    const version = await call("GET", "/v1/organizations/", {
      headers: { "polar-version": "1999-01" },
    });
    expect(version.status).toBe(404);
    expect(await version.json()).toEqual({ detail: "Not Found" });
    const ok = await call("GET", "/v1/organizations/", { headers: { "polar-version": "2026-10" } });
    expect(ok.headers.get("polar-version")).toBe("2026-10");
  });

  it("lists with Polar's pagination envelope", async () => {
    const res = await call("GET", "/v1/organizations/?limit=1000");
    expect(await res.json()).toMatchObject({ pagination: { total_count: 1, max_page: 1 } });
  });
});
